"""The JPoA portal project: settings, URLs, the Celery app, WSGI and middleware."""
from .celery import app as celery_app

__all__ = ("celery_app",)
