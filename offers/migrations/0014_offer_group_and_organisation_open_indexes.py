"""The open offers of a group or of an organisation, read from an index of their own (Offer.Meta)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0013_offer_open_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(fields=["group", "status", "deadline", "published_at"], name="offers_offer_group_open"),
        ),
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                fields=["organisation", "status", "deadline", "published_at"], name="offers_offer_organisation_open"
            ),
        ),
        # New indexes: without their statistics, SQLite's planner may not choose them.
        migrations.RunSQL("ANALYZE offers_offer", migrations.RunSQL.noop),
    ]
