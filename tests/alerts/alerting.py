"""Helpers for the tests of alerts: a confirmed alert, a subscription as a browser sends it, links in e-mails."""

import re
from datetime import timedelta
from io import StringIO
from itertools import count
from urllib.parse import urlsplit

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert

_numbers = count(1)


def make_alert(**overrides) -> Alert:
    """A confirmed instant alert on all offers, confirmed two days ago (before make_offer's offers)."""
    n = next(_numbers)
    fields = {
        "email": f"subscriber{n}@example.org",
        "query": "",
        "frequency": Alert.Frequency.INSTANT,
        "language": "fr",
        "confirmed_at": timezone.now() - timedelta(days=2),
    }
    fields.update(overrides)
    return Alert.objects.create(**fields)


def subscribe(client, url=None, **overrides):
    data = {"email": "camille@example.org", "frequency": Alert.Frequency.DAILY, "query": "contract=internship"}
    data.update(overrides)
    return client.post(url or reverse("alerts:subscribe"), data)


def send_alerts(*args) -> str:
    """Run the command as the scheduler does; what it printed."""
    out = StringIO()
    call_command("send_alerts", *args, stdout=out)
    return out.getvalue()


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def path_of(link: str) -> str:
    return urlsplit(link).path


def confirmation_link(message) -> str:
    return next(link for link in links_in(message) if "/alertes/confirmer/" in link)


def unsubscribe_link(message) -> str:
    return next(link for link in links_in(message) if "/alertes/se-desabonner/" in link)
