"""Celery tasks of reporting, one module per area; imported here so that autodiscovery finds them."""
