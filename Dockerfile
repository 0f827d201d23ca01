# JPoA portal image: one image for web (gunicorn), worker and beat (celery).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home jpoa

# Runtime dependencies only: test and development tools (requirements-dev.txt) stay out.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time (served by WhiteNoise). The dummy DATABASE_URL only
# stops settings from starting the embedded PostgreSQL; collectstatic never connects to it.
RUN SECRET_KEY=build-only-dummy-key DEBUG=false \
    DATABASE_URL=postgres://unused@127.0.0.1:1/unused \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media \
 && chown -R jpoa:jpoa /app/var

USER jpoa
EXPOSE 8000

CMD ["gunicorn", "jpoa.wsgi:application", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
