from django.apps import AppConfig


class MobilityConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'mobility'
