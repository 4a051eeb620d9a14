# Teamgraph: the gateway, serving the built-in demo unless given a config.
#   docker build -t teamgraph .              # --build-arg EXTRAS=otlp: OTLP trace export
#   docker run -p 8000:8000 teamgraph
#   docker run -p 8000:8000 -v $PWD/teamgraph.toml:/etc/teamgraph.toml \
#     -e TEAMGRAPH_CONFIG=/etc/teamgraph.toml teamgraph
# Needs BuildKit (the default builder since Docker 23) for RUN --mount.
# Pinned to a patch release; bump it deliberately (and rebuild) for Python security fixes.
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies first, from pyproject.toml alone: a code change reuses this layer.
COPY pyproject.toml ./
# EXTRAS: optional dependency groups to include, comma-separated (e.g. otlp).
ARG EXTRAS=""
RUN python -c "import os, tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; extras = [e for e in os.environ['EXTRAS'].split(',') if e]; print('\n'.join(p['dependencies'] + [d for e in extras for d in p['optional-dependencies'][e]]))" > requirements.txt \
 && pip wheel --wheel-dir /wheels/deps -r requirements.txt
COPY README.md LICENSE ./
COPY gateway ./gateway
COPY schema ./schema
COPY resolvers ./resolvers
# Only the wheel leaves this stage: no build/, no egg-info, no sources in the image.
RUN pip wheel --no-deps --wheel-dir /wheels/app .

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# The wheels are mounted, not copied: a COPY would keep them in a layer of the image even
# after an `rm`. Dependencies get a layer of their own, reused while pyproject.toml is unchanged.
RUN --mount=type=bind,from=build,source=/wheels/deps,target=/tmp/deps \
    pip install --no-index /tmp/deps/*.whl \
 && groupadd --gid 10001 teamgraph \
 && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin teamgraph
RUN --mount=type=bind,from=build,source=/wheels/app,target=/tmp/app \
    pip install --no-index --no-deps /tmp/app/*.whl

# Numeric, so Kubernetes' runAsNonRoot can verify it (deploy/k8s runs it with a read-only root).
USER 10001:10001
EXPOSE 8000
# `teamgraph health` probes the port the config sets ($TEAMGRAPH_CONFIG), not a fixed 8000.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["teamgraph", "health"]
CMD ["teamgraph", "serve", "--host", "0.0.0.0"]
