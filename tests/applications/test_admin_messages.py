"""Recruiters write to candidates from the admin, in each candidate's language, and every message is kept."""

import pytest
from django.contrib.messages import get_messages
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from applications import emails
from applications.models import Application, Email, MessageTemplate
from offers.models import Membership, Offer
from tests.factories import add_member, give_private_link, make_application, make_offer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

Status = Application.Status


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def offer(organisation):
    return make_offer(organisation=organisation, title="Attaché·e")


@pytest.fixture
def invitation(organisation):
    """An invitation in French and Dutch."""
    for language, subject, body in [
        ("fr", "Entretien – {offer}", "Bonjour {first_name} {last_name}, {organisation} vous invite."),
        ("nl", "Gesprek – {offer}", "Dag {first_name}, {organisation} nodigt u uit."),
    ]:
        MessageTemplate.objects.create(
            organisation=organisation,
            name="Invitation",
            purpose=MessageTemplate.Purpose.INVITATION,
            language=language,
            subject=subject,
            body=body,
        )
    return "Invitation"


def url(view, *args):
    return reverse(f"admin:applications_application_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def message_data(*applications, **texts):
    data = {"ids": [application.pk for application in applications], "_send": "1"}
    data.update(texts)
    return data


# Writing


def test_the_write_page_fills_each_language_from_the_template(client, bob, offer, invitation):
    french = make_application(offer, language="fr")
    dutch = make_application(offer, language="nl")
    english = make_application(offer, language="en")
    client.force_login(bob)
    response = client.post(url("write"), {"ids": [french.pk, dutch.pk, english.pk], "template": invitation, "_load": 1})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["subject_fr"] == "Entretien – {offer}"
    assert form.initial["subject_nl"] == "Gesprek – {offer}"
    assert form.initial["subject_en"] == "Entretien – {offer}"  # no English version: the French one
    assert any("has no English version" in note for note in response.context["notes"])


def test_writing_queues_one_email_per_candidate_in_their_language_and_records_the_contact(
    client, bob, offer, django_capture_on_commit_callbacks, mailoutbox
):
    french = make_application(offer, first_name="Camille", last_name="Dupont", language="fr")
    dutch = make_application(offer, first_name="Jan", last_name="Peeters", language="nl")
    client.force_login(bob)
    data = message_data(
        french,
        dutch,
        subject_fr="Entretien – {offer}",
        body_fr="Bonjour {first_name} {last_name}, {organisation} vous invite. {unknown}",
        subject_nl="Gesprek – {offer}",
        body_nl="Dag {first_name}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("write"), data)
    assert response.url == url("changelist")
    email = Email.objects.get(application=french)
    assert (email.kind, email.to, email.sent_by, email.status) == (
        Email.Kind.MESSAGE,
        french.email,
        bob,
        Email.Status.SENT,
    )
    assert email.subject == "Entretien – Attaché·e"
    assert email.body == "Bonjour Camille Dupont, Ecolo vous invite. {unknown}"
    assert Email.objects.get(application=dutch).body == "Dag Jan"
    assert len(mailoutbox) == 2
    french.refresh_from_db()
    assert french.answered_at is not None
    assert french.last_contact_at == french.answered_at


def test_what_a_candidate_typed_is_never_read_as_a_placeholder(client, bob, offer):
    application = make_application(offer, first_name="{last_name}", last_name="Dupont\r\nBcc: x@example.org")
    client.force_login(bob)
    client.post(url("write"), message_data(application, subject_fr="Bonjour {first_name} {last_name}", body_fr="B"))
    assert application.emails.get().subject == "Bonjour {last_name} Dupont Bcc: x@example.org"


def test_the_write_page_refuses_ids_that_are_not_applications(client, bob):
    client.force_login(bob)
    assert client.get(url("write"), {"ids": "not-a-uuid"}).status_code == 404
    assert client.get(url("write")).status_code == 404


def test_the_write_action_opens_the_page_for_the_selection(client, bob, offer, invitation):
    chosen = make_application(offer, last_name="Chosen")
    make_application(offer, last_name="Left")
    client.force_login(bob)
    response = client.post(url("changelist"), {"action": "write_to_candidates", "_selected_action": [chosen.pk]})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chosen" in content
    assert "Left" not in content
    assert f'value="{chosen.pk}"' in content


def test_a_message_is_kept_on_the_application_even_when_the_mail_server_fails(
    client, bob, offer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.applications.test_admin_messages.BrokenBackend"
    application = make_application(offer)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("write"), message_data(application, subject_fr="Bonjour", body_fr="Bonjour {first_name}"))
    email = application.emails.get()
    assert email.status == Email.Status.PENDING
    assert "SMTP server unreachable" in email.last_error
    content = client.get(url("change", application.pk)).content.decode()
    assert "Waiting to be sent" in content
    assert "SMTP server unreachable" in content
    outbox = client.get(reverse("admin:applications_email_changelist")).content.decode()
    assert "SMTP server unreachable" in outbox


def test_retry_now_sends_a_pending_email(client, bob, offer, mailoutbox):
    application = make_application(offer)
    email = Email.objects.create(kind=Email.Kind.MESSAGE, application=application, to=application.email, subject="Hi")
    client.force_login(bob)
    response = client.post(
        reverse("admin:applications_email_changelist"), {"action": "retry", "_selected_action": [email.pk]}
    )
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert len(mailoutbox) == 1
    assert messages_of(response) == ["“Hi” was sent."]


def test_the_outbox_is_read_only(client, bob, offer):
    application = make_application(offer)
    email = Email.objects.create(kind=Email.Kind.MESSAGE, application=application, to=application.email, subject="Hi")
    client.force_login(bob)
    assert client.get(reverse("admin:applications_email_add")).status_code == 403
    assert client.post(reverse("admin:applications_email_change", args=[email.pk]), {"subject": "X"}).status_code == 403
    assert client.get(reverse("admin:applications_email_change", args=[email.pk])).status_code == 200


def test_the_subject_is_required(client, bob, offer):
    application = make_application(offer)
    client.force_login(bob)
    response = client.post(url("write"), message_data(application, subject_fr="", body_fr="Bonjour"))
    assert response.status_code == 200
    assert response.context["form"].errors["subject_fr"]
    assert not Email.objects.exists()


def test_writing_to_another_organisations_candidate_is_not_found(client, charlie, offer):
    application = make_application(offer)
    client.force_login(charlie)
    response = client.post(url("write"), message_data(application, subject_fr="Hi", body_fr="Hi"))
    assert response.status_code == 404
    assert not Email.objects.exists()


def test_writing_to_candidates_of_two_organisations_at_once_is_refused(client, bob, offer, other_organisation):
    add_member(bob, other_organisation, Membership.Role.RECRUITER)
    ours, theirs = make_application(offer), make_application(make_offer(organisation=other_organisation))
    client.force_login(bob)
    response = client.post(url("write"), message_data(ours, theirs, subject_fr="Hi", body_fr="Hi"))
    assert messages_of(response) == ["Write to the candidates of one organisation at a time."]
    assert not Email.objects.exists()


# Answering everyone after closing an offer


def test_the_bulk_answer_prefills_the_rejection_template(client, bob, organisation, offer):
    MessageTemplate.objects.create(
        organisation=organisation,
        name="Refus",
        purpose=MessageTemplate.Purpose.REJECTION,
        subject="Votre candidature – {offer}",
        body="Merci {first_name}.",
    )
    make_application(offer)
    client.force_login(bob)
    response = client.get(url("answer_waiting", offer.pk))
    assert response.context["form"].initial["subject_fr"] == "Votre candidature – {offer}"
    assert response.context["form"].fields["reject"].initial is True


def test_the_bulk_answer_writes_to_everyone_still_waiting_and_rejects_them(
    client, bob, offer, django_capture_on_commit_callbacks, mailoutbox
):
    received = make_application(offer, language="fr")
    in_review = make_application(offer, language="nl")
    in_review.move_to(Status.IN_REVIEW, by=bob)
    shortlisted = make_application(offer)
    shortlisted.move_to(Status.SHORTLISTED, by=bob)
    offer.close()
    client.force_login(bob)
    data = {"subject_fr": "Merci", "body_fr": "Merci {first_name}", "subject_nl": "Dank", "body_nl": "Dank u"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("answer_waiting", offer.pk), {**data, "reject": "on", "_send": "1"})
    assert response.url == f"{url('changelist')}?offer__id__exact={offer.pk}"
    for application in (received, in_review):
        application.refresh_from_db()
        assert application.status == Status.REJECTED
        assert application.status_changes.last().changed_by == bob
    assert Email.objects.get(application=in_review).subject == "Dank"
    shortlisted.refresh_from_db()
    assert shortlisted.status == Status.SHORTLISTED
    assert not shortlisted.emails.exists()
    assert len(mailoutbox) == 2


def test_the_bulk_answer_can_leave_the_statuses_alone(client, bob, offer):
    application = make_application(offer)
    client.force_login(bob)
    client.post(url("answer_waiting", offer.pk), {"subject_fr": "Merci", "body_fr": "Merci", "_send": "1"})
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    assert application.answered_at is not None


def test_the_bulk_answer_says_when_nobody_is_waiting(client, bob, offer):
    client.force_login(bob)
    response = client.get(url("answer_waiting", offer.pk))
    assert response.url == reverse("admin:offers_offer_change", args=[offer.pk])
    assert messages_of(response) == ["Nobody is waiting for an answer on “Attaché·e”."]


def test_the_bulk_answer_for_another_organisations_offer_is_not_found(client, charlie, offer):
    application = make_application(offer)
    client.force_login(charlie)
    assert client.get(url("answer_waiting", offer.pk)).status_code == 404
    response = client.post(url("answer_waiting", offer.pk), {"subject_fr": "X", "body_fr": "X", "_send": "1"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    assert Offer.objects.get().title == "Attaché·e"


# Templates


def test_recruiters_see_only_their_organisations_templates(client, bob, organisation, other_organisation):
    MessageTemplate.objects.create(organisation=organisation, name="Ours", subject="S", body="B")
    MessageTemplate.objects.create(organisation=other_organisation, name="Theirs", subject="S", body="B")
    client.force_login(bob)
    response = client.get(reverse("admin:applications_messagetemplate_changelist"))
    assert [template.name for template in response.context["cl"].result_list] == ["Ours"]


def test_a_template_is_added_for_the_recruiters_organisation_only(client, bob, organisation, other_organisation):
    client.force_login(bob)
    data = {
        "organisation": other_organisation.pk,
        "name": "X",
        "purpose": MessageTemplate.Purpose.OTHER,
        "language": "fr",
    }
    response = client.post(reverse("admin:applications_messagetemplate_add"), {**data, "subject": "S", "body": "B"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organisation"]
    data["organisation"] = organisation.pk
    response = client.post(reverse("admin:applications_messagetemplate_add"), {**data, "subject": "S", "body": "B"})
    assert response.status_code == 302
    assert MessageTemplate.objects.get().organisation == organisation


def test_staff_never_read_a_candidates_private_link_in_a_pending_acknowledgement(client, alice, settings):
    settings.EMAIL_BACKEND = "tests.applications.test_outbox.BrokenBackend"
    application = make_application(organisation=alice.memberships.get().organisation, kind="spontaneous")
    token = give_private_link(application)
    email = emails.send_received(application, token)  # not sent: the mail server is down
    client.force_login(alice)
    for url in (
        reverse("admin:applications_email_change", args=[email.pk]),
        reverse("admin:applications_application_change", args=[application.pk]),
    ):
        page = client.get(url).content.decode()
        assert token not in page
        assert "/candidature/…/" in page
