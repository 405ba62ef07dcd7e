from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = _("Offers and organisations")

    def ready(self):
        post_migrate.connect(make_sqlite_search_index, sender=self)


def make_sqlite_search_index(using, **kwargs):
    from offers.search import ensure_sqlite_index

    connection = connections[using]
    if connection.vendor == "sqlite" and "offers_offer" in connection.introspection.table_names():
        ensure_sqlite_index(connection)
