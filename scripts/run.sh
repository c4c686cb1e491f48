#!/usr/bin/env bash
# make run: the demo on SQLite with eager Celery, seeded, on http://127.0.0.1:${PORT:-8000}.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages msgfmt:gettext /usr/share/doc/libpango-1.0-0:libpango-1.0-0 \
  /usr/share/doc/libpangoft2-1.0-0:libpangoft2-1.0-0 fc-list:fontconfig /usr/share/fonts/truetype/dejavu:fonts-dejavu-core
python_env --no-dev --inexact
export DEBUG=${DEBUG:-true}
compile_messages
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py seed_demo
echo "ejournal: serving the demo on http://127.0.0.1:${PORT:-8000}/ (Ctrl+C stops it)"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
