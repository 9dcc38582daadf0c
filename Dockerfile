# syntax=docker/dockerfile:1
# The portal's production image: one image for the web app (gunicorn), the Celery worker and Celery beat.
# Which one runs is the command given to docker/entrypoint.sh (web | worker | beat | any other command).
# Built and run by docker-compose.yml; see README.md ("Production shape").

FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings \
    PORTAL_ENV=production \
    PORTAL_VAR_DIR=/var/lib/portal

# WeasyPrint's runtime libraries (PDF receipts) and a font with Vietnamese glyphs. No compiler: every locked
# package has a manylinux wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The app runs as an unprivileged user. Volumes mounted on these directories start out owned by it.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /home/portal --create-home --shell /usr/sbin/nologin portal \
    && mkdir -p /var/lib/portal/uploads /var/lib/portal/static /var/lib/celery \
    && chown -R portal:portal /var/lib/portal /var/lib/celery

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. The lock's --extra-index-url/--find-links lines
# point at local mirrors of the machine that generated it; they are dropped here and the default index is used.
# Hash checking stays on: a package whose hash is not in the lock is refused.
COPY requirements/base.lock /tmp/base.lock
RUN python -m venv /opt/venv \
    && sed -E '/^--(extra-index-url|index-url|find-links)[ =]+(file:|\/)/d' /tmp/base.lock > /tmp/base.image.lock \
    && pip install --require-hashes -r /tmp/base.image.lock \
    && rm /tmp/base.lock /tmp/base.image.lock

COPY --chown=root:root . /app

# Static files are collected at build time into /opt/portal-static (hashed names, compressed copies, manifest), a
# path no volume hides; the entrypoint copies them into the static volume when the web container starts, so an
# upgraded image never serves a previous release's manifest. Production settings refuse to load without a
# SECRET_KEY, so this one RUN gets a throwaway build-only key through an ARG: it is not an ENV and is not in the
# running containers.
ARG BUILD_ONLY_SECRET_KEY=build-only-dummy-key-used-for-collectstatic-never-at-runtime-0000
RUN SECRET_KEY="$BUILD_ONLY_SECRET_KEY" PORTAL_VAR_DIR=/opt/portal-build \
        python manage.py collectstatic --noinput -v 0 \
    && mv /opt/portal-build/static /opt/portal-static \
    && rm -rf /opt/portal-build \
    && python -m compileall -q /app/portal \
    && chmod 0755 /app/docker/entrypoint.sh

USER portal:portal
EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
