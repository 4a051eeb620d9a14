# Teamgraph: the gateway, serving the built-in demo unless given a config.
#   docker build -t teamgraph .
#   docker run -p 8000:8000 teamgraph
#   docker run -p 8000:8000 -v $PWD/teamgraph.toml:/etc/teamgraph.toml \
#     -e TEAMGRAPH_CONFIG=/etc/teamgraph.toml teamgraph
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY gateway ./gateway
COPY schema ./schema
COPY resolvers ./resolvers
RUN pip install . && useradd --create-home --uid 10001 teamgraph

USER teamgraph
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["teamgraph", "serve", "--host", "0.0.0.0"]
