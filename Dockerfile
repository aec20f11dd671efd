# The portal's image: the wheel and the versions of constraints.txt, the DSFR assets, no build tools, not root.
# Production settings by default (ENV=prod): give it SECRET_KEY, OIDC_*, DATABASE_URL, REDIS_URL (see compose.yaml).

FROM node:22-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
# The DSFR's install script wants a project configuration we do not use: its files are served as they are.
RUN npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

FROM python:3.11-slim AS wheel
WORKDIR /build
COPY constraints.txt pyproject.toml setup.py README.md ./
COPY alembic ./alembic
COPY backend ./backend
COPY ui ./ui
RUN pip install --no-cache-dir --constraint constraints.txt setuptools \
 && pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    ENV=prod \
    DATA_DIR=/data \
    ASSETS_DIR=/opt/soprano/node_modules \
    HOST=0.0.0.0 \
    PORT=8000 \
    LOG_FORMAT=json
COPY constraints.txt /opt/soprano/constraints.txt
COPY --from=wheel /wheels /tmp/wheels
RUN pip install --no-cache-dir --constraint /opt/soprano/constraints.txt /tmp/wheels/*.whl \
 && rm -rf /tmp/wheels \
 && useradd --system --home-dir /data --create-home soprano
COPY --from=assets /build/node_modules/@gouvfr/dsfr/dist /opt/soprano/node_modules/@gouvfr/dsfr/dist
USER soprano
WORKDIR /data
EXPOSE 8000
# Liveness only: whether this host may take traffic is the load balancer's question, asked of /healthz/ready.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz/live' % os.environ['PORT'], timeout=4)"]
CMD ["soprano", "serve"]
