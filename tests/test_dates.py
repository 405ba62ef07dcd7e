"""Dates formatted once per process (jobboard.dates): the same answers as Django's own formatting."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from jobboard.dates import format_date

BRUSSELS, LONDON = ZoneInfo("Europe/Brussels"), ZoneInfo("Europe/London")


def test_the_same_instant_is_shown_in_the_time_zone_it_comes_in():
    in_brussels = datetime(2026, 12, 11, 0, 30, tzinfo=BRUSSELS)
    in_london = in_brussels.astimezone(LONDON)  # equal datetimes, so the same key but for the zone

    assert format_date(in_brussels, "j F Y H:i") == "11 décembre 2026 00:30"
    assert format_date(in_london, "j F Y H:i") == "10 décembre 2026 23:30"


def test_a_date_is_shown_in_the_active_language():
    day = datetime(2026, 12, 11, tzinfo=BRUSSELS)
    assert format_date(day, "j F Y") == "11 décembre 2026"
    with translation.override("nl"):
        assert format_date(day, "j F Y") == "11 december 2026"
    with translation.override("en"):
        assert format_date(day, "DATE_FORMAT") == "Dec. 11, 2026"
