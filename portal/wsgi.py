"""Entry point for gunicorn: `gunicorn 'portal.wsgi:app'` runs the production settings."""
from . import create_app

app = create_app("production")
