# syntax=docker/dockerfile:1
# One image for the services: `docker run IMAGE scheduling` (or intake, assignment, notification, portal).
# No credential is baked in: every secret comes from the environment or a mounted file at run time
# (DIALOGUE_NATS_PASSWORD_FILE, DIALOGUE_STORE_URL_FILE...). See deploy/README.md.

ARG PYTHON_IMAGE=python:3.11-slim

# ---- builder: resolve and install the project and its dependencies into a virtualenv ----
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Dependencies first, so that a code change does not re-download them: build wheels for the declared
# requirements from pyproject.toml alone, then install the project itself without touching the index.
COPY pyproject.toml README.md* ./
RUN python - <<'PY' > /tmp/requirements.txt
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
# The tracing extra is included so operators can switch DIALOGUE_TRACING on without rebuilding.
print("\n".join(project["dependencies"] + project["optional-dependencies"]["tracing"]))
PY
RUN pip wheel --wheel-dir /wheels -r /tmp/requirements.txt \
 && pip install --no-index --find-links /wheels -r /tmp/requirements.txt
COPY shared ./shared
COPY services ./services
RUN pip install --no-deps . \
 && dialogue --help > /dev/null

# ---- runtime: the virtualenv, a non-root user, nothing else ----
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="dialogue-platform" \
      org.opencontainers.image.description="Dialogue conferences: scheduling, intake, assignment, notification and portal services" \
      org.opencontainers.image.licenses="Apache-2.0"
# Inside a container the ops endpoints listen on every interface (Prometheus and the kubelet reach them
# from outside); the local default, outside containers, stays 127.0.0.1. Files a service writes (the
# notification log channel, a SQLite store) go to the data volume, never under the working directory:
# the root filesystem is read-only.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DIALOGUE_HTTP_HOST=0.0.0.0 \
    DIALOGUE_DATA_DIR=/var/lib/dialogue/data
RUN groupadd --system --gid 10001 dialogue \
 && useradd --system --uid 10001 --gid dialogue --home-dir /var/lib/dialogue --create-home \
            --shell /usr/sbin/nologin dialogue \
 && install -d -o 10001 -g 10001 /var/lib/dialogue/data /etc/dialogue
COPY --from=builder /opt/venv /opt/venv
COPY deploy/docker/healthcheck.py /usr/local/bin/dialogue-healthcheck
WORKDIR /var/lib/dialogue
# The data volume; /etc/dialogue may hold replacements for the shipped data files (DIALOGUE_CONFIG_DIR).
VOLUME ["/var/lib/dialogue/data"]
USER 10001:10001
# Ops ports: scheduling 8101, intake 8102, assignment 8103, notification 8104, portal 8105
# (DIALOGUE_HTTP_PORT overrides); the portal's pages on 8080 (DIALOGUE_PORTAL_WEB_PORT, and
# DIALOGUE_PORTAL_WEB_HOST=0.0.0.0 in a container, as compose and Kubernetes set it).
EXPOSE 8101 8102 8103 8104 8105 8080
# /readyz: NATS connected and store reachable. Python's urllib, so the image needs no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "/usr/local/bin/dialogue-healthcheck"]
ENTRYPOINT ["dialogue", "run"]
CMD ["scheduling"]
