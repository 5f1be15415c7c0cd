# Polity's production image: gunicorn serving Django, static files by whitenoise, non-root.
# The same image runs the Celery worker (see docker-compose.yml).
FROM python:3.11-slim

# gunicorn reads WEB_CONCURRENCY as its number of worker processes: two per CPU, each with two
# threads (gthread) for the waits on PostgreSQL and Redis, the shape bench/load.py measures.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    WEB_CONCURRENCY=4 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --create-home --uid 10001 polity
WORKDIR /app

# Editable install: the code runs from /app, where the templates and static files are too.
# The manifest storage used when DEBUG is off needs its manifest, built once here. The random key
# only exists for this command (production settings refuse a weak one); the container refuses to
# start without a real one.
COPY . .
RUN pip install -e . \
    && DEBUG=false SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput

USER polity
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--threads", "2", "--access-logfile", "-"]
