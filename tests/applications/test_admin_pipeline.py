"""Recruiters handle their organisation's applications in the admin: the list, the pipeline, notes, erasure."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Email, Note, StatusChange
from offers.models import Membership
from tests.factories import add_document, add_member, make_application, make_offer, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

Status = Application.Status


@pytest.fixture
def offer(organisation):
    return make_offer(organisation=organisation, title="Attaché·e parlementaire")


def url(view, *args):
    return reverse(f"admin:applications_application_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def run_action(client, action, *applications, **data):
    selected = [application.pk for application in applications]
    return client.post(url("changelist"), {"action": action, "_selected_action": selected, **data})


def make_overdue(application):
    Application.objects.filter(pk=application.pk).update(answer_due_at=timezone.now() - timedelta(days=1))
    application.refresh_from_db()
    return application


# The list


def test_the_list_shows_the_organisations_applications_with_their_columns(client, bob, offer):
    make_application(offer, first_name="Camille", last_name="Dupont")
    client.force_login(bob)
    response = client.get(url("changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Camille Dupont" in content
    assert "Attaché·e parlementaire" in content
    assert "Received" in content
    assert "Recruiting overview" in content


def test_the_list_flags_applications_waiting_past_the_delay(client, bob, offer):
    late = make_overdue(make_application(offer, last_name="Late"))
    make_application(offer, last_name="Recent")
    client.force_login(bob)
    response = client.get(url("changelist"), {"awaiting": "yes"})
    assert [application.pk for application in response.context["cl"].result_list] == [late.pk]
    assert response.context["cl"].result_list[0].is_awaiting_answer


def test_the_offer_filter_lists_only_the_users_offers(client, bob, offer, other_organisation):
    make_offer(organisation=other_organisation, title="Their offer")
    client.force_login(bob)
    content = client.get(url("changelist")).content.decode()
    assert "Attaché·e parlementaire" in content
    assert "Their offer" not in content


def test_facet_counts_count_only_the_users_applications(client, bob, offer, other_organisation):
    make_application(offer)
    for _ in range(3):
        make_application(make_offer(organisation=other_organisation))
    client.force_login(bob)
    response = client.get(url("changelist"), {"_facets": "1"})
    content = response.content.decode()
    assert "Received (1)" in content
    assert "(3)" not in content
    assert "(4)" not in content


def test_the_search_finds_a_candidate_by_email(client, bob, offer):
    make_application(offer, last_name="Dupont", email="dupont@example.org")
    make_application(offer, last_name="Martin")
    client.force_login(bob)
    response = client.get(url("changelist"), {"q": "dupont@example"})
    assert [a.last_name for a in response.context["cl"].result_list] == ["Dupont"]


def test_the_list_costs_as_many_queries_for_30_applications_as_for_3(client, bob, organisation):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("changelist"), {"_facets": "1"}).status_code == 200
        return len(queries)

    client.force_login(bob)
    for index in range(3):
        make_application(make_offer(organisation=organisation), is_discreet=index == 0)
    client.get(url("changelist"))  # warm the per-process caches (content types)
    few = queries_for_the_list()
    for index in range(27):
        make_application(make_offer(organisation=organisation), is_discreet=index % 2 == 0)
    assert queries_for_the_list() == few


def test_the_list_filters_by_date_received_without_scanning_every_application(client, bob, offer):
    recent = make_application(offer, last_name="Récente")
    old = make_application(offer, last_name="Ancienne")
    Application.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    client.force_login(bob)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("changelist"), {"created_at__gte": (timezone.now() - timedelta(days=7)).isoformat()})

    assert [a.pk for a in response.context["cl"].result_list] == [recent.pk]
    assert "Past 7 days" in response.content.decode()
    # No year links: they cost a DISTINCT over all the organisation's applications; one count, not two.
    assert not any("DISTINCT" in query["sql"] for query in queries.captured_queries)
    assert sum("COUNT(" in query["sql"] for query in queries.captured_queries) == 1


def test_applications_cannot_be_added_in_the_admin(client, alice):
    client.force_login(alice)
    assert client.get(url("add")).status_code == 403


# The change page


def test_the_candidates_fields_are_read_only(client, bob, offer):
    application = make_application(offer, first_name="Camille", last_name="Dupont")
    client.force_login(bob)
    response = client.get(url("change", application.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dupont" in content
    assert 'name="last_name"' not in content
    assert 'name="email"' not in content
    client.post(url("change", application.pk), {"last_name": "Changed", **empty_inlines()})
    application.refresh_from_db()
    assert application.last_name == "Dupont"


def empty_inlines(**overrides):
    data = {}
    for prefix in ("notes", "status_changes", "documents", "emails"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": 0,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    data.update(overrides)
    return data


def test_the_change_page_offers_the_pipeline_form(client, bob, offer):
    application = make_application(offer)
    client.force_login(bob)
    content = client.get(url("change", application.pk)).content.decode()
    assert f'action="{url("move", application.pk)}"' in content
    assert 'value="shortlisted"' in content
    assert 'value="withdrawn"' not in content


def test_moving_an_application_records_who_moved_it_and_why(client, bob, offer):
    application = make_application(offer)
    client.force_login(bob)
    response = client.post(url("move", application.pk), {"status": Status.SHORTLISTED, "note": "Strong letter"})
    assert response.url == url("change", application.pk)
    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED
    assert application.answered_at is not None
    change = application.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        Status.RECEIVED,
        Status.SHORTLISTED,
        bob,
        "Strong letter",
    )


def test_the_history_is_shown_read_only_on_the_change_page(client, bob, offer):
    application = make_application(offer)
    application.move_to(Status.INTERVIEW, by=bob, note="Call on Monday")
    client.force_login(bob)
    response = client.get(url("change", application.pk))
    content = response.content.decode()
    assert "Call on Monday" in content
    assert 'name="status_changes-0-note"' not in content


def test_moving_a_withdrawn_application_is_refused_with_a_message(client, bob, offer):
    application = make_application(offer, last_name="Dupont")
    application.withdraw()
    client.force_login(bob)
    response = client.post(url("move", application.pk), {"status": Status.SHORTLISTED})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    [message] = messages_of(response)
    assert message.startswith("Camille Dupont was not moved: The candidate withdrew")


def test_the_move_refuses_a_status_that_does_not_exist(client, bob, offer):
    application = make_application(offer)
    client.force_login(bob)
    response = client.post(url("move", application.pk), {"status": "hired-twice"})
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    assert messages_of(response) == ["Choose one of the statuses offered."]


def test_the_move_is_a_post(client, bob, offer):
    application = make_application(offer)
    client.force_login(bob)
    assert client.get(url("move", application.pk), {"status": Status.HIRED}).status_code == 405


def test_a_bulk_move_moves_each_application_and_reports_each_refusal(client, bob, offer):
    first, second = make_application(offer), make_application(offer)
    withdrawn = make_application(offer, last_name="Gone")
    withdrawn.withdraw()
    client.force_login(bob)
    response = run_action(client, "move_to_in_review", first, second, withdrawn)
    assert set(Application.objects.filter(status=Status.IN_REVIEW)) == {first, second}
    assert StatusChange.objects.filter(to_status=Status.IN_REVIEW, changed_by=bob).count() == 2
    messages = messages_of(response)
    assert any(message.startswith("Camille Gone was not moved:") for message in messages)
    assert "2 applications moved to “In review”." in messages


def test_a_note_is_signed_by_its_author(client, bob, offer):
    application = make_application(offer)
    client.force_login(bob)
    data = empty_inlines(
        **{"notes-TOTAL_FORMS": 1, "notes-0-text": "Call her back", "notes-0-application": application.pk}
    )
    response = client.post(url("change", application.pk), data)
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.application, note.author, note.text) == (application, bob, "Call her back")


def test_existing_notes_cannot_be_edited(client, alice, bob, offer):
    application = make_application(offer)
    note = Note.objects.create(application=application, author=alice, text="First impression")
    client.force_login(bob)
    content = client.get(url("change", application.pk)).content.decode()
    assert "First impression" in content
    assert 'name="notes-0-text"' not in content
    data = empty_inlines(
        **{
            "notes-TOTAL_FORMS": 1,
            "notes-INITIAL_FORMS": 1,
            "notes-0-id": note.pk,
            "notes-0-application": application.pk,
            "notes-0-text": "Rewritten",
        }
    )
    client.post(url("change", application.pk), data)
    note.refresh_from_db()
    assert note.text == "First impression"


def test_the_admin_log_names_no_candidate(client, bob, offer):
    application = make_application(offer, last_name="Dupont")
    client.force_login(bob)
    data = empty_inlines(
        **{"notes-TOTAL_FORMS": 1, "notes-0-text": "Dupont is great", "notes-0-application": application.pk}
    )
    client.post(url("change", application.pk), data)
    entry = LogEntry.objects.get()
    assert "Dupont" not in entry.object_repr
    assert "Dupont" not in entry.change_message
    assert "Added private note" in entry.get_change_message()


def test_the_change_page_warns_of_previous_applications_to_the_organisation(client, bob, organisation, offer):
    earlier_offer = make_offer(organisation=organisation, title="Earlier offer")
    earlier = make_application(earlier_offer, email="camille@example.org")
    earlier.move_to(Status.REJECTED, by=bob)
    make_application(make_offer(title="Elsewhere"), email="camille@example.org")
    application = make_application(offer, email="camille@example.org")
    client.force_login(bob)
    response = client.get(url("change", application.pk))
    [previous] = response.context["previous_applications"]
    assert (previous["label"], previous["status"]) == ("Earlier offer", "Rejected")
    content = response.content.decode()
    assert "applied to your organisation before:" in content
    assert "Elsewhere" not in content


def test_no_warning_for_a_first_application(client, bob, offer):
    application = make_application(offer)
    client.force_login(bob)
    content = client.get(url("change", application.pk)).content.decode()
    assert "applied to your organisation before" not in content


# Erasure and deletion


def test_an_organisation_admin_erases_personal_data_with_the_action(
    client, alice, offer, settings, django_capture_on_commit_callbacks
):
    application = make_application(offer, last_name="Dupont")
    path = settings.PRIVATE_MEDIA_ROOT / add_document(application).file.name
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "erase_applications", application)
    application.refresh_from_db()
    assert application.is_erased
    assert application.last_name == ""
    assert not application.documents.exists()
    assert not path.exists()
    assert "The personal data of 1 application was erased." in messages_of(response)
    content = client.get(url("change", application.pk)).content.decode()
    assert "Erased application" in content
    assert "Dupont" not in content


def test_a_recruiter_cannot_erase_or_delete(client, bob, offer):
    application = make_application(offer)
    client.force_login(bob)
    response = client.get(url("changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "erase_applications" not in actions
    assert "delete_selected" not in actions
    run_action(client, "erase_applications", application)
    application.refresh_from_db()
    assert not application.is_erased
    assert client.post(url("delete", application.pk), {"post": "yes"}).status_code == 403


def test_an_organisation_admin_deletes_an_application_and_its_files(
    client, alice, offer, settings, django_capture_on_commit_callbacks
):
    application = make_application(offer)
    document = add_document(application)
    Note.objects.create(application=application, author=alice, text="Good")
    Email.objects.create(kind=Email.Kind.MESSAGE, application=application, to=application.email, subject="Hi")
    path = settings.PRIVATE_MEDIA_ROOT / document.file.name
    assert path.exists()
    client.force_login(alice)
    assert client.get(url("delete", application.pk)).context["perms_lacking"] == set()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("delete", application.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not path.exists()


def test_an_admin_of_one_organisation_is_only_a_recruiter_elsewhere(client, bob, organisation, other_organisation):
    add_member(bob, other_organisation, Membership.Role.ADMIN)
    theirs = make_application(make_offer(organisation=other_organisation))
    ours = make_application(make_offer(organisation=organisation))
    client.force_login(bob)
    response = run_action(client, "erase_applications", theirs, ours)
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert theirs.is_erased
    assert not ours.is_erased
    assert any("only an organisation admin erases" in message for message in messages_of(response))


def test_the_erase_action_touches_only_the_selection(client, alice, offer):
    chosen, other = make_application(offer), make_application(offer)
    client.force_login(alice)
    run_action(client, "erase_applications", chosen)
    assert Application.objects.get(pk=other.pk).is_erased is False


def test_a_staff_user_without_membership_is_refused(client):
    client.force_login(make_user("eve"))
    assert client.get(url("changelist")).status_code == 403
    assert client.get(url("overview")).status_code == 403


def test_a_superuser_searches_every_organisations_candidates(client, superuser, offer):
    make_application(offer, last_name="Dupont", is_discreet=True)
    client.force_login(superuser)
    assert client.get(url("changelist"), {"q": "Dupont"}).context["cl"].result_count == 1
