"""The open offers' index leads with their deadline: read from the first offer still open (Offer.Meta)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0012_offer_countries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="offer",
            name="offers_offer_visibility",
        ),
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                fields=[
                    "status",
                    "deadline",
                    "published_at",
                    "contract_type",
                    "language",
                    "remote_policy",
                    "organisation",
                    "group",
                    "countries",
                ],
                name="offers_offer_open",
            ),
        ),
        # A new index: without its statistics, SQLite's planner may choose a full scan for the list.
        migrations.RunSQL("ANALYZE offers_offer", migrations.RunSQL.noop),
    ]
