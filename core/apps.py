from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "PEM core"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from . import data_version

        # Every connection (web processes, workers, threads) reports its writes to the data version.
        connection_created.connect(data_version.install, dispatch_uid="core.data_version")
        for connection in connections.all(initialized_only=True):
            data_version.install(sender=None, connection=connection)
