#!/bin/sh
# Entry point of the portal image. The first argument says what this container is:
#   web     apply migrations, refresh the static volume, then serve portal.wsgi with gunicorn on 0.0.0.0:8000
#   worker  a Celery worker
#   beat    Celery beat (periodic tasks), its schedule file in /var/lib/celery (a volume)
#   other   run as given, e.g. `docker compose run --rm web python manage.py import_procedures`
set -eu

STATIC_BUILD="${PORTAL_STATIC_BUILD:-/opt/portal-static}"
VAR_DIR="${PORTAL_VAR_DIR:-/var/lib/portal}"

case "${1:-web}" in
  web)
    shift || true
    python manage.py migrate --noinput
    # The static volume outlives the image: copy this release's collected files over it (old hashed names stay,
    # harmlessly; the manifest is this release's).
    if [ -d "$STATIC_BUILD" ]; then
      mkdir -p "$VAR_DIR/static"
      cp -R "$STATIC_BUILD/." "$VAR_DIR/static/"
    fi
    exec gunicorn portal.wsgi:application \
      --config python:portal.gunicorn_conf \
      --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${WEB_CONCURRENCY:-3}" \
      --threads "${GUNICORN_THREADS:-1}" \
      --timeout "${GUNICORN_TIMEOUT:-30}" \
      --graceful-timeout 20 \
      --worker-tmp-dir /dev/shm \
      --no-control-socket \
      --access-logfile - \
      "$@"
    ;;
  worker)
    shift
    exec celery -A portal worker -l "${CELERY_LOG_LEVEL:-info}" --concurrency "${CELERY_CONCURRENCY:-2}" "$@"
    ;;
  beat)
    shift
    exec celery -A portal beat -l "${CELERY_LOG_LEVEL:-info}" \
      --schedule "${CELERY_BEAT_SCHEDULE:-/var/lib/celery/celerybeat-schedule}" "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
