"""A discreet application names its candidate only to the recruiters in charge of the offer."""

import pytest
from django.urls import reverse

from applications.models import Application, Email
from offers.models import Membership
from tests.factories import add_document, make_application, make_offer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


@pytest.fixture
def offer(organisation, alice):
    offer = make_offer(organisation=organisation, title="Secrétaire général·e")
    offer.recruiters.add(alice)
    return offer


@pytest.fixture
def discreet(offer):
    application = make_application(
        offer, first_name="Dominique", last_name="Discrète", email="dominique@example.org", is_discreet=True
    )
    add_document(application, original_name="CV Dominique Discrète.pdf")
    Email.objects.create(
        kind=Email.Kind.MESSAGE, application=application, to=application.email, subject="Hello Dominique", body="Hi"
    )
    return application


def url(view, *args):
    return reverse(f"admin:applications_application_{view}", args=args)


def export(client, offer) -> str:
    response = client.get(url("offer_csv", offer.pk))
    return b"".join(response.streaming_content).decode("utf-8-sig")


IDENTITY = ("Dominique", "Discrète", "dominique@example.org")


def assert_hidden(content: str):
    for text in IDENTITY:
        assert text not in content


def test_a_recruiter_not_in_charge_sees_a_discreet_application_in_the_list_without_its_name(client, bob, discreet):
    client.force_login(bob)
    response = client.get(url("changelist"))
    assert response.context["cl"].result_count == 1
    content = response.content.decode()
    assert "Discreet application" in content
    assert_hidden(content)


def test_a_recruiter_not_in_charge_sees_no_identity_message_documents_or_emails(client, bob, discreet):
    client.force_login(bob)
    response = client.get(url("change", discreet.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Discreet application" in content
    assert_hidden(content)
    assert "CV Dominique" not in content
    assert "Hello Dominique" not in content
    assert url("download", discreet.pk, discreet.documents.get().pk) not in content


def test_a_recruiter_not_in_charge_cannot_download_a_discreet_document(client, bob, discreet):
    client.force_login(bob)
    assert client.get(url("download", discreet.pk, discreet.documents.get().pk)).status_code == 403


def test_a_recruiter_not_in_charge_gets_a_masked_csv(client, bob, offer, discreet):
    client.force_login(bob)
    content = export(client, offer)
    assert "Discreet application" in content
    assert_hidden(content)


def test_a_recruiter_not_in_charge_gets_no_discreet_document_in_the_zip(client, bob, offer, discreet):
    client.force_login(bob)
    response = client.get(url("offer_zip", offer.pk))
    assert b"Discr" not in b"".join(response.streaming_content)


def test_a_recruiter_not_in_charge_cannot_find_a_discreet_candidate_by_name(client, bob, discreet):
    client.force_login(bob)
    response = client.get(url("changelist"), {"q": "Discrète"})
    assert response.context["cl"].result_count == 0


def test_the_outbox_hides_e_mails_to_discreet_candidates_from_those_not_in_charge(client, bob, discreet):
    client.force_login(bob)
    content = client.get(reverse("admin:applications_email_changelist")).content.decode()
    assert "Hello Dominique" not in content
    email = discreet.emails.get()
    assert client.get(reverse("admin:applications_email_change", args=[email.pk])).status_code == 404


def test_the_recruiter_in_charge_sees_everything(client, alice, offer, discreet):
    client.force_login(alice)
    content = client.get(url("change", discreet.pk)).content.decode()
    for text in IDENTITY:
        assert text in content
    assert "Hello Dominique" in content
    assert client.get(url("download", discreet.pk, discreet.documents.get().pk)).status_code == 200
    assert "Dominique" in export(client, offer)


def test_adding_bob_to_the_recruiters_in_charge_shows_him_the_candidate(client, bob, offer, discreet):
    offer.recruiters.add(bob)
    client.force_login(bob)
    assert "Discrète" in client.get(url("changelist")).content.decode()
    assert "Discrète" in client.get(url("change", discreet.pk)).content.decode()
    assert "Discrète" in export(client, offer)
    assert client.get(url("download", discreet.pk, discreet.documents.get().pk)).status_code == 200


def test_a_superuser_sees_a_discreet_candidate(client, superuser, discreet):
    client.force_login(superuser)
    assert "Discrète" in client.get(url("change", discreet.pk)).content.decode()


def test_a_discreet_spontaneous_application_is_seen_by_the_organisations_admins(client, alice, bob, organisation):
    application = make_application(organisation=organisation, last_name="Spontanée", is_discreet=True)
    assert application.kind == Application.Kind.SPONTANEOUS
    client.force_login(bob)
    assert "Spontanée" not in client.get(url("change", application.pk)).content.decode()
    client.force_login(alice)
    assert "Spontanée" in client.get(url("change", application.pk)).content.decode()


def test_an_ordinary_application_is_seen_by_every_recruiter_of_the_organisation(client, bob, offer):
    make_application(offer, last_name="Ordinaire")
    client.force_login(bob)
    assert "Ordinaire" in client.get(url("changelist")).content.decode()


def test_applications_are_never_offered_for_autocomplete(client, alice, discreet):
    client.force_login(alice)
    response = client.get(
        "/admin/autocomplete/", {"app_label": "applications", "model_name": "note", "field_name": "application"}
    )
    assert response.status_code == 404
    assert "Discr" not in response.content.decode()


def test_moving_a_discreet_application_keeps_its_identity(client, bob, discreet):
    # The admin blanks the identity in memory for bob; nothing of it may reach the database.
    client.force_login(bob)
    client.post(url("move", discreet.pk), {"status": Application.Status.IN_REVIEW})
    discreet.refresh_from_db()
    assert discreet.status == Application.Status.IN_REVIEW
    assert (discreet.first_name, discreet.last_name, discreet.email) == IDENTITY


def test_saving_a_note_on_a_discreet_application_keeps_its_identity(client, bob, discreet):
    client.force_login(bob)
    data = {
        "notes-TOTAL_FORMS": 1,
        "notes-INITIAL_FORMS": 0,
        "notes-0-text": "Seen",
        "notes-0-application": discreet.pk,
    }
    data.update({"status_changes-TOTAL_FORMS": 0, "status_changes-INITIAL_FORMS": 0})
    assert client.post(url("change", discreet.pk), data).status_code == 302
    discreet.refresh_from_db()
    assert (discreet.first_name, discreet.last_name, discreet.email) == IDENTITY
    assert discreet.notes.get().text == "Seen"


def test_an_organisation_admin_not_in_charge_may_not_delete_a_discreet_application(client, bob, discreet):
    # The confirmation page would list the candidate's documents by name.
    bob.memberships.update(role=Membership.Role.ADMIN)
    client.force_login(bob)
    assert client.get(url("delete", discreet.pk)).status_code == 403
    assert Application.objects.filter(pk=discreet.pk).exists()
