"""The demo applications: made-up candidates for the demo offers, loaded once."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from applications.models import Application, StatusChange

pytestmark = pytest.mark.django_db

Status = Application.Status
Kind = Application.Kind


def test_the_demo_applications_load_once():
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo_applications", stdout=out)
    counts = (Application.objects.count(), StatusChange.objects.count())
    assert counts[0] > 0
    assert f"{counts[0]} created with {counts[1]} status changes, 0 already there" in out.getvalue()
    assert Application.objects.exclude(email__endswith="@example.org").count() == 0
    assert not Application.objects.filter(documents__isnull=False).exists()
    assert Application.objects.filter(kind=Kind.SPONTANEOUS).exists()
    assert Application.objects.filter(kind=Kind.INTERNSHIP).exists()
    assert Application.objects.filter(status=Status.HIRED).exists()
    recruiter = StatusChange.objects.exclude(changed_by=None).values_list("changed_by__username", flat=True)
    assert set(recruiter) == {"demo-recruiter"}

    out = StringIO()
    call_command("load_demo_applications", stdout=out)
    assert (Application.objects.count(), StatusChange.objects.count()) == counts
    assert f"0 created with 0 status changes, {counts[0]} already there" in out.getvalue()


def test_the_demo_recruiter_cannot_log_in():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_applications", stdout=StringIO())
    recruiter = get_user_model().objects.get(username="demo-recruiter")
    assert not recruiter.has_usable_password()
    assert not recruiter.memberships.exists()


def test_the_demo_applications_need_the_demo_offers():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_applications", stdout=StringIO())
