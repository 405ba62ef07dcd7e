"""Every admin action on personal data leaves an event (who, what, when) for the organisation's admins."""

from datetime import datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, AuditEvent
from offers.models import Membership
from tests.factories import add_document, add_member, give_private_link, make_application, make_offer, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

Action = AuditEvent.Action
Status = Application.Status
CANDIDATE = ("Élodie", "Vandenberghe", "elodie@example.org")


@pytest.fixture
def offer(organisation):
    return make_offer(organisation=organisation, title="Attaché·e", slug="attache-e")


@pytest.fixture
def application(offer):
    first_name, last_name, email = CANDIDATE
    return make_application(offer, first_name=first_name, last_name=last_name, email=email)


def url(view, *args):
    return reverse(f"admin:applications_application_{view}", args=args)


def audit_url(view="changelist", *args):
    return reverse(f"admin:applications_auditevent_{view}", args=args)


def the_event() -> AuditEvent:
    """The one event recorded; fails if there are none or several."""
    return AuditEvent.objects.get()


def assert_one_event(action, actor, organisation, application) -> AuditEvent:
    """The one event recorded, checked for who did what to which application; returned for more checks."""
    event = the_event()
    assert (event.action, event.actor, event.organisation, event.application) == (
        action,
        actor,
        organisation,
        application,
    )
    return event


def run_action(client, action, *applications):
    return client.post(url("changelist"), {"action": action, "_selected_action": [a.pk for a in applications]})


def assert_names_nobody(event):
    for personal in CANDIDATE:
        assert personal not in event.detail
        assert personal not in str(event)


# What is recorded


def test_a_document_download_is_recorded_with_its_kind(client, bob, application, organisation):
    document = add_document(application)
    client.force_login(bob)
    assert client.get(url("download", application.pk, document.pk)).status_code == 200
    event = assert_one_event(Action.DOWNLOAD, bob, organisation, application)
    assert event.offer == application.offer
    assert event.detail == document.kind
    assert_names_nobody(event)


def test_recording_a_download_costs_one_query(client, bob, application):
    document = add_document(application)
    client.force_login(bob)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            b"".join(client.get(url("download", application.pk, document.pk)).streaming_content)
        return len(context)

    queries()  # warm the session
    with mock.patch.object(AuditEvent, "record"):
        without = queries()
    assert queries() == without + 1


@pytest.mark.parametrize(
    "action, expected", [("export_csv", Action.EXPORT_CSV), ("export_documents", Action.EXPORT_ZIP)]
)
def test_an_export_action_is_one_event_with_the_count(client, bob, offer, application, organisation, action, expected):
    applications = [application, make_application(offer), make_application(offer)]
    client.force_login(bob)
    response = run_action(client, action, *applications)
    b"".join(response.streaming_content)
    event = the_event()
    assert (event.action, event.actor, event.organisation, event.application) == (expected, bob, organisation, None)
    assert event.detail == "3 applications"
    assert_names_nobody(event)


@pytest.mark.parametrize("view, expected", [("offer_csv", Action.EXPORT_CSV), ("offer_zip", Action.EXPORT_ZIP)])
def test_an_offers_export_is_one_event_with_the_offer_and_the_count(client, bob, offer, organisation, view, expected):
    make_application(offer)
    make_application(offer)
    client.force_login(bob)
    b"".join(client.get(url(view, offer.pk)).streaming_content)
    event = the_event()
    assert (event.action, event.actor, event.organisation, event.offer) == (expected, bob, organisation, offer)
    assert event.detail == "2 applications"


def test_an_export_across_organisations_leaves_one_event_in_each(client, superuser, offer, other_organisation):
    elsewhere = make_application(make_offer(organisation=other_organisation))
    client.force_login(superuser)
    b"".join(run_action(client, "export_csv", make_application(offer), elsewhere).streaming_content)
    assert sorted(AuditEvent.objects.values_list("organisation__slug", "detail")) == [
        ("ecolo", "1 application"),
        ("les-engages", "1 application"),
    ]


def test_a_move_is_recorded_with_both_statuses(client, bob, application, organisation):
    client.force_login(bob)
    client.post(url("move", application.pk), {"status": Status.SHORTLISTED})
    event = assert_one_event(Action.STATUS_CHANGE, bob, organisation, application)
    assert event.detail == "received → shortlisted"
    assert_names_nobody(event)


def test_a_refused_move_records_nothing(client, bob, application):
    application.move_to(Status.WITHDRAWN)
    client.force_login(bob)
    client.post(url("move", application.pk), {"status": Status.SHORTLISTED})
    assert not AuditEvent.objects.exists()


def test_a_bulk_move_records_one_event_per_application(client, bob, offer):
    applications = [make_application(offer) for _ in range(3)]
    client.force_login(bob)
    run_action(client, "move_to_rejected", *applications)
    events = AuditEvent.objects.filter(action=Action.STATUS_CHANGE, actor=bob)
    assert sorted(events.values_list("application", flat=True)) == sorted(a.pk for a in applications)
    assert AuditEvent.objects.count() == 3


def test_a_message_to_a_candidate_is_recorded(client, bob, application, organisation):
    client.force_login(bob)
    data = {"ids": [application.pk], "_send": "1", "subject_fr": "Bonjour {first_name}", "body_fr": "Merci."}
    assert client.post(url("write"), data).status_code == 302
    event = assert_one_event(Action.MESSAGE, bob, organisation, application)
    assert_names_nobody(event)


def test_the_admin_erase_action_is_recorded(client, alice, application, organisation):
    client.force_login(alice)
    run_action(client, "erase_applications", application)
    application.refresh_from_db()
    assert application.is_erased
    assert_one_event(Action.ERASE, alice, organisation, application)


def test_the_erase_event_outlives_the_deleted_application(client, alice, application, organisation):
    client.force_login(alice)
    client.post(url("delete", application.pk), {"post": "yes"})
    assert not Application.objects.filter(pk=application.pk).exists()
    assert_one_event(Action.ERASE, alice, organisation, None)


@pytest.fixture
def token(application):
    return give_private_link(application)


def test_the_candidates_withdrawal_is_recorded_without_an_actor(client, application, token, organisation):
    client.post(reverse("applications:withdraw", args=[token]))
    assert_one_event(Action.WITHDRAW_BY_CANDIDATE, None, organisation, application)


def test_the_candidates_erasure_is_recorded_without_an_actor(client, application, token, organisation):
    client.post(reverse("applications:erase", args=[token]), {"confirm": "on"})
    application.refresh_from_db()
    assert application.is_erased
    event = assert_one_event(Action.ERASE_BY_CANDIDATE, None, organisation, application)
    assert_names_nobody(event)


def test_the_scheduled_erasure_is_recorded_once_without_an_actor(bob, application, organisation):
    application.move_to(Status.REJECTED, by=bob)
    moment = timezone.make_aware(datetime.combine(application.erase_after, datetime.min.time()) + timedelta(hours=3))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        call_command("erase_expired_applications", stdout=StringIO())
        call_command("erase_expired_applications", stdout=StringIO())
    assert_one_event(Action.ERASE_BY_SCHEDULE, None, organisation, application)


# Who reads the log


def test_an_organisation_admin_sees_their_organisations_events_only(client, alice, offer, other_organisation):
    own = AuditEvent.record(Action.EXPORT_CSV, offer.organisation, detail="2 applications")
    AuditEvent.record(Action.EXPORT_CSV, other_organisation, detail="7 applications")
    client.force_login(alice)
    response = client.get(audit_url())
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own]


def test_an_admin_elsewhere_does_not_see_where_they_are_only_a_recruiter(client, bob, organisation, other_organisation):
    add_member(bob, other_organisation, Membership.Role.ADMIN)
    AuditEvent.record(Action.EXPORT_CSV, organisation)
    theirs = AuditEvent.record(Action.EXPORT_CSV, other_organisation)
    client.force_login(bob)
    assert list(client.get(audit_url()).context["cl"].result_list) == [theirs]


def test_a_recruiter_is_refused_the_log(client, bob, organisation):
    event = AuditEvent.record(Action.EXPORT_CSV, organisation)
    client.force_login(bob)
    assert client.get(audit_url()).status_code == 403
    # The rows are outside the recruiter's scope, like another organisation's: the page is not found.
    assert client.get(audit_url("change", event.pk)).status_code == 404


def test_the_log_shows_the_application_by_reference_never_by_name(client, alice, application):
    event = AuditEvent.record(Action.STATUS_CHANGE, application.organisation, actor=alice, application=application)
    client.force_login(alice)
    html = client.get(audit_url("change", event.pk)).content.decode()
    assert str(application.pk)[:8] in html
    assert application.last_name not in html


@pytest.mark.parametrize("user", ["alice", "superuser"])
def test_nobody_changes_or_deletes_an_event(client, request, user, organisation):
    event = AuditEvent.record(Action.EXPORT_CSV, organisation, detail="1 application")
    client.force_login(request.getfixturevalue(user))
    assert client.post(audit_url("delete", event.pk), {"post": "yes"}).status_code == 403
    assert client.post(audit_url("change", event.pk), {"detail": "nothing"}).status_code == 403
    assert client.post(audit_url("add"), {"organisation": organisation.pk, "action": Action.ERASE}).status_code == 403
    assert client.post(audit_url(), {"action": "delete_selected", "_selected_action": [event.pk]}).status_code == 200
    assert list(AuditEvent.objects.values_list("detail", flat=True)) == ["1 application"]


def test_a_staff_user_without_membership_is_refused_the_log(client, organisation):
    AuditEvent.record(Action.EXPORT_CSV, organisation)
    client.force_login(make_user("eve"))
    assert client.get(audit_url()).status_code == 403
