"""Officials' login and logout, and the guard every console page passes first.

A wrong username and a wrong password get the same sentence after the same work (an unknown name
verifies a dummy Argon2 hash); failures are counted per username and per client address, and past
the limit a login is refused with 429 before any password is checked. A disabled account is told so
only when its password was right. Not logged in: a page redirects to the login form, a form post
answers 401.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from services.portal import queries
from services.portal.adapters import sessions
from services.portal.adapters.security import CSRF_COOKIE, CSRF_FIELD, csrf_ok, new_csrf
from services.portal.adapters.sessions import SESSION_COOKIE, Session
from services.portal.adapters.web import Web, client_address
from services.portal.domain.accounts import Official
from shared.contracts.portal_commands import Role

LOGIN = "/dang-nhap"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng; vui lòng kiểm tra lại rồi đăng nhập."
THROTTLED = "Đăng nhập sai quá nhiều lần; vui lòng chờ {minutes} phút rồi thử lại, hoặc liên hệ quản trị để được hỗ trợ."
DISABLED = "Tài khoản này đã bị khóa; vui lòng liên hệ quản trị hệ thống."
NO_CSRF = "Biểu mẫu đã hết hiệu lực hoặc không gửi từ trang này; vui lòng tải lại trang rồi gửi lại."
NOT_LOGGED_IN = "Ông/bà chưa đăng nhập hoặc phiên làm việc đã hết; vui lòng đăng nhập lại."
NOT_ALLOWED = "Tài khoản của ông/bà không có quyền mở trang này."
HOMES = {Role.AGENCY_OFFICER: "/can-bo/hop-thu", Role.HEAD: "/lanh-dao/duyet"}


@dataclass(frozen=True)
class Signed:
    """A request's logged-in official and its session (its forms' tokens are bound to it)."""

    me: Official
    session: Session


class Guard:
    """Who is logged in, and the refusal when the page needs someone else."""

    def __init__(self, web: Web) -> None:
        self.web = web
        self.secret = web.config.session_secret

    async def signed(self, request: Request) -> Signed | None:
        session = sessions.read(self.secret, request.cookies.get(SESSION_COOKIE), time.time())
        if session is None:
            return None
        me = await queries.official(self.web.deps(), session.username, session.generation)
        return Signed(me, session) if me is not None else None

    def login_needed(self, request: Request) -> Response:
        if request.method == "GET":
            return RedirectResponse(LOGIN, status_code=303)
        return self.web.sentence("Cần đăng nhập", NOT_LOGGED_IN, 401, "not_logged_in", back=LOGIN,
                                 back_text="Đăng nhập")  # fmt: skip

    async def require(self, request: Request, role: Role) -> Signed | Response:
        """The official when it has ``role``, else the redirect (401) or the 403 page."""
        signed = await self.signed(request)
        if signed is None:
            return self.login_needed(request)
        if signed.me.role is not role:
            return self.web.sentence("Không có quyền", NOT_ALLOWED, 403, "forbidden", back="/can-bo",
                                     back_text="Về trang cán bộ")  # fmt: skip
        return signed

    def nonce(self, signed: Signed, submitted: str | None) -> str | None:
        return sessions.form_nonce(self.web.config.csrf_secret, signed.session, submitted)

    def token(self, signed: Signed) -> str:
        return sessions.form_token(self.web.config.csrf_secret, signed.session)

    def csrf_refused(self) -> Response:
        return self.web.sentence("Không gửi được biểu mẫu", NO_CSRF, 403, "csrf_refused")


def routes(web: Web, guard: Guard) -> list[Route]:
    config = web.config
    assert config.login_limit is not None

    def counted(reason: str) -> None:
        if web.metrics is not None:
            web.metrics.logins_failed.labels(reason).inc()

    def form(message: str | None = None, status: int = 200, typed: str | None = None) -> Response:
        token, cookie = new_csrf(config.csrf_secret)
        response = web.page("login.html.j2", status, csrf=token, message=message, typed=typed)
        response.set_cookie(CSRF_COOKIE, cookie, max_age=3600, path=LOGIN, httponly=True, samesite="strict",
                            secure=config.secure_cookies)  # fmt: skip
        response.headers["cache-control"] = "no-store"
        return response

    async def login_form(request: Request) -> Response:
        if await guard.signed(request) is not None:
            return RedirectResponse("/can-bo", status_code=303)
        return form()

    async def login(request: Request) -> Response:
        value = {k: str(v) for k, v in (await request.form(max_files=0, max_fields=10)).items()}
        if not csrf_ok(request.cookies.get(CSRF_COOKIE), value.get(CSRF_FIELD), config.csrf_secret):
            counted("csrf_refused")
            return form(NO_CSRF, 403)
        username = value.get("ten", "").strip().lower()[:64]
        keys = [f"user:{username}", f"address:{client_address(request)}"]
        limit = config.login_limit
        assert limit is not None
        if limit.blocked(keys, time.monotonic()):
            counted("throttled")
            minutes = max(1, round(limit.window / 60))
            return form(THROTTLED.format(minutes=minutes), 429, username)
        doc = await web.deps().repo.account(username) if username else None
        password_ok = await web.deps().passwords.verify(doc["password_hash"] if doc else None,
                                                        value.get("mat-khau", ""))  # fmt: skip
        if not password_ok or doc is None:
            limit.failed(keys, time.monotonic())
            counted("wrong_credentials")
            return form(WRONG, 401, username)
        if doc.get("disabled"):
            counted("disabled")
            return form(DISABLED, 403, username)
        limit.succeeded(keys[0])
        response = RedirectResponse("/can-bo", status_code=303)
        cookie = sessions.issue(config.session_secret, username, int(doc["generation"]), time.time(),
                                config.session_seconds)  # fmt: skip
        response.set_cookie(SESSION_COOKIE, cookie, max_age=config.session_seconds, path="/", httponly=True,
                            samesite="strict", secure=config.secure_cookies)  # fmt: skip
        response.delete_cookie(CSRF_COOKIE, path=LOGIN)
        return response

    async def logout(request: Request) -> Response:
        signed = await guard.signed(request)
        if signed is not None:
            submitted = str((await request.form(max_files=0, max_fields=5)).get(CSRF_FIELD) or "")
            if guard.nonce(signed, submitted) is None:
                return guard.csrf_refused()
        response = RedirectResponse(LOGIN, status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def home(request: Request) -> Response:
        signed = await guard.signed(request)
        if signed is None:
            return guard.login_needed(request)
        if (where := HOMES.get(signed.me.role)) is not None:
            return RedirectResponse(where, status_code=303)
        return web.page("console_home.html.j2", me=signed.me, logout_csrf=guard.token(signed))

    return [
        Route(LOGIN, login_form, methods=["GET"]),
        Route(LOGIN, login, methods=["POST"]),
        Route("/dang-xuat", logout, methods=["POST"]),
        Route("/can-bo", home, methods=["GET"]),
    ]
