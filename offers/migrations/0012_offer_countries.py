"""Offer.countries, the countries of its places, in the list's covering indexes (offers.filters.in_country)."""

from django.conf import settings
from django.db import migrations, models


def fill_countries(apps, schema_editor):
    Offer, Place = apps.get_model("offers", "Offer"), apps.get_model("offers", "Place")
    countries = {}
    for offer_id, country in Place.objects.values_list("offer_id", "country").iterator():
        countries.setdefault(offer_id, set()).add(country)
    offers = [Offer(pk=offer_id, countries=" ".join(sorted(codes))) for offer_id, codes in countries.items()]
    Offer.objects.bulk_update(offers, ["countries"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0011_place_postgresql_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="offer",
            name="offers_offer_visibility",
        ),
        migrations.RemoveIndex(
            model_name="offer",
            name="offers_offer_newest",
        ),
        migrations.AddField(
            model_name="offer",
            name="countries",
            field=models.CharField(default="", editable=False, max_length=60),
        ),
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                fields=[
                    "status",
                    "published_at",
                    "deadline",
                    "contract_type",
                    "language",
                    "remote_policy",
                    "organisation",
                    "group",
                    "countries",
                ],
                name="offers_offer_visibility",
            ),
        ),
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                fields=[
                    "-published_at",
                    "-id",
                    "status",
                    "deadline",
                    "contract_type",
                    "language",
                    "remote_policy",
                    "organisation",
                    "group",
                    "countries",
                ],
                name="offers_offer_newest",
            ),
        ),
        migrations.RunPython(fill_countries, migrations.RunPython.noop),
        # The indexes are new: without their statistics, SQLite's planner chose a full scan for the list.
        migrations.RunSQL("ANALYZE offers_offer", migrations.RunSQL.noop),
    ]
