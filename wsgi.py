"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from samenplan import create_app

app = create_app()
