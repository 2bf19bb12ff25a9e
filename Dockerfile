# syntax=docker/dockerfile:1
#
# One image for every Wijkkapitaal process: the web server (default command), the Celery
# worker and Celery beat. See platform/compose.yaml and platform/OPERATIONS.md.

# --- build: install the project into a virtualenv, compile translations, collect static.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH

# gettext only for compilemessages; it does not reach the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv

WORKDIR /app

# The dependencies first, read from pyproject.toml alone, so that a code change does not
# reinstall them (no dev extras).
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# Settings are imported by these commands, but nothing here touches a database, a broker
# or Stripe: the base settings with a throwaway key are enough. Production settings share
# base's STORAGES, so the manifest written here is the one production reads.
RUN export DJANGO_SETTINGS_MODULE=config.settings.base SECRET_KEY=build-only-not-a-secret \
    && if find locale -name '*.po' | grep -q .; then python manage.py compilemessages; fi \
    && python manage.py collectstatic --no-input \
    && python -m compileall -q accounts campaigns cms config tasks

# --- runtime
FROM python:3.11-slim

# PYTHONPATH: run the code from /app, next to templates/, static/ and locale/ (BASE_DIR
# is derived from config/settings/base.py's location), whatever the working directory.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/app/media \
    PRIVATE_MEDIA_ROOT=/app/private \
    PORT=8000

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

# The code is root-owned and read-only for the app user; only uploads are writable.
# Named volumes mounted on /app/media and /app/private start out with this ownership.
RUN mkdir -p /app/media /app/private && chown app:app /app/media /app/private

WORKDIR /app
USER app:app

EXPOSE 8000

# The Celery services override this command; migrations run as a one-shot container
# (`python manage.py migrate --no-input`), see platform/compose.yaml.
CMD ["gunicorn", "--config", "platform/gunicorn.conf.py", "config.wsgi:application"]
