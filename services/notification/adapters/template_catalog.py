"""Jinja2 templates per (trigger, channel): sandboxed, strict, HTML autoescaped, operator-overridable.

Layout: ``<channel>/<trigger>.<part>.j2`` under the shipped folder; e-mail has ``subject``, ``txt``
and ``html`` parts, SMS and log a ``txt`` part. Files starting with ``_`` are partials. An override
folder with the same layout takes precedence file by file (``ChoiceLoader``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from services.notification.adapters.template_filters import FILTERS
from services.notification.adapters.template_samples import SAMPLES
from services.notification.domain.errors import TemplateCatalogError, TemplateRenderError
from services.notification.domain.messages import Rendered
from services.notification.domain.payload import jsonable
from services.notification.domain.triggers import Channel, Trigger

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "templates"
_SPACES = re.compile(r"\s+")


def template_names(trigger: Trigger, channel: Channel) -> dict[str, str]:
    """Part name → template name; a webhook's prose summary reuses the log template."""
    if channel is Channel.EMAIL:
        return {part: f"email/{trigger.value}.{part}.j2" for part in ("subject", "txt", "html")}
    folder = "log" if channel is Channel.WEBHOOK else channel.value
    return {"txt": f"{folder}/{trigger.value}.txt.j2"}


def _autoescape(name: str | None) -> bool:
    return bool(name and name.endswith(".html.j2"))


class TemplateCatalog:
    """Renders notices; call ``validate()`` once at start-up."""

    def __init__(
        self,
        override_dir: Path | None = None,
        shipped_dir: Path = SHIPPED_DIR,
        samples: Mapping[Trigger, Mapping[str, Any]] = SAMPLES,
    ) -> None:
        loaders = [FileSystemLoader(str(override_dir))] if override_dir else []
        loaders.append(FileSystemLoader(str(shipped_dir)))
        self._override_dir = override_dir
        self._samples = samples
        self._env = SandboxedEnvironment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=_autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters.update(FILTERS)

    def _render_one(self, name: str, context: Mapping[str, Any]) -> str:
        try:
            return self._env.get_template(name).render(context)
        except UndefinedError as exc:
            raise TemplateRenderError(
                "template_variable_missing",
                f"Mẫu {name} dùng biến không có trong dữ liệu ({exc.message}); "
                "hãy bổ sung dữ liệu hoặc sửa mẫu.",
            ) from exc
        except (TemplateError, TypeError, ValueError) as exc:
            raise TemplateRenderError(
                "template_error", f"Mẫu {name} không hiển thị được ({exc}); hãy sửa mẫu."
            ) from exc

    def render(self, trigger: Trigger, channel: Channel, context: Mapping[str, Any]) -> Rendered:
        """The notice content; raises ``TemplateRenderError`` (a permanent failure for this delivery)."""
        parts = {
            part: self._render_one(name, context) for part, name in template_names(trigger, channel).items()
        }
        text = parts["txt"].strip() + "\n"
        if channel is Channel.EMAIL:
            # One line only: a newline in a Subject header would let data inject headers.
            subject = _SPACES.sub(" ", parts["subject"]).strip()
            return Rendered(text=text, subject=subject, html=parts["html"])
        if channel is Channel.SMS:
            return Rendered(text=_SPACES.sub(" ", text).strip())
        if channel is Channel.WEBHOOK:
            payload = {"trigger": trigger.value, "text": text.strip(), "data": jsonable(context)}
            return Rendered(text=text, payload=payload)
        return Rendered(text=text)

    def _unknown_overrides(self) -> list[str]:
        if self._override_dir is None:
            return []
        known = {n for t in Trigger for c in Channel for n in template_names(t, c).values()}
        found = sorted(p.relative_to(self._override_dir).as_posix() for p in self._override_dir.rglob("*.j2"))
        # A misnamed override would be silently ignored while the operator believes it is live.
        return [
            f"{name}: tệp ghi đè không ứng với mẫu nào"
            for name in found
            if name not in known and not Path(name).name.startswith("_")
        ]

    def validate(self) -> None:
        """Render every template with its trigger's sample; raise one error listing all broken ones."""
        problems = self._unknown_overrides()
        for trigger in Trigger:
            for channel in Channel:
                try:
                    self.render(trigger, channel, self._samples[trigger])
                except TemplateRenderError as exc:
                    problems.append(exc.message)
        if problems:
            raise TemplateCatalogError(sorted(set(problems)))
