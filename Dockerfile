# The web, worker and beat image. Built by docker-compose.yml; not built on our development machines (no engine).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint needs Pango; DejaVu covers Cyrillic in PDFs; gettext compiles the translations; the worker's nightly
# backup (manage.py backup/restore) runs pg_dump and pg_restore of the server's version (postgres:15 in compose).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext curl \
    postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN python manage.py compilemessages -v0 --ignore=.venv \
 && SECRET_KEY=collectstatic-only DATA_DIR=/tmp/build STATIC_MANIFEST=true python manage.py collectstatic --noinput -v0

RUN useradd --system --home /app ejournal && mkdir -p /data && chown ejournal /data
USER ejournal
EXPOSE 8000
CMD ["gunicorn", "ejournal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "90", "--access-logfile", "-"]
