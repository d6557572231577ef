# The production image (compose.yaml): one image, three roles (web, worker, beat), chosen by the
# command. Files go to S3-compatible storage (S3_BUCKET), so no container keeps state.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings
# postgresql-client for `manage.py backup` (pg_dump) from inside the container.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /app/node_modules ./node_modules
# Translations and static files are built into the image; neither needs the database or a key.
RUN DJANGO_SETTINGS_MODULE=config.test_settings python manage.py compile_translations \
    && DJANGO_SETTINGS_MODULE=config.test_settings python manage.py collectstatic --noinput --verbosity 0
RUN useradd --system --uid 10001 puljeflow && mkdir -p var && chown -R puljeflow var
USER puljeflow
EXPOSE 8000
CMD ["gunicorn", "--config", "config/gunicorn.conf.py"]
