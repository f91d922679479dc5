"""Settings of the benchmark server: the project's own settings, plus one trivial view (bench/urls.py) that
serves as the baseline every server-side figure in bench/RESULTS.md is divided by. Never used in production:
gunicorn is started with DJANGO_SETTINGS_MODULE=bench.settings only by the bench and load scripts."""

from pemwecco.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
