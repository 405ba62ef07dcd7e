"""Personal data has an end date, and the erase command meets it, to the day."""

from datetime import datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application, Document, Note, add_months
from tests.factories import make_application

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def private_root(settings):
    return settings.PRIVATE_MEDIA_ROOT


def with_cv(application):
    document = Document(application=application, kind=Document.Kind.CV, original_name="cv.pdf")
    document.content_type, document.size = "application/pdf", 9
    document.file.save("cv.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return document


def test_a_rejected_candidate_is_erased_three_months_after_the_rejection(bob):
    application = make_application()
    application.move_to(Status.REJECTED, by=bob)
    assert application.erase_after == add_months(timezone.localdate(), 3)


def test_a_talent_pool_candidate_is_kept_two_years_after_the_last_contact(bob):
    application = make_application(consents_to_talent_pool=True)
    application.move_to(Status.REJECTED, by=bob)
    assert application.erase_after == add_months(timezone.localdate(), 24)


def test_a_hired_candidates_data_leaves_recruitment_even_with_talent_pool_consent(bob):
    application = make_application(consents_to_talent_pool=True)
    application.move_to(Status.HIRED, by=bob)
    assert application.erase_after == add_months(timezone.localdate(), 3)


def test_the_organisation_sets_its_own_delays(bob, organisation):
    organisation.keep_after_outcome_months = 6
    organisation.save()
    application = make_application(organisation=organisation, kind=Application.Kind.SPONTANEOUS)
    application.withdraw()
    assert application.erase_after == add_months(timezone.localdate(), 6)


def test_a_running_application_has_an_end_date_too():
    application = make_application()
    assert application.erase_after == add_months(timezone.localdate(), 24)


def test_erasing_empties_personal_fields_deletes_files_and_keeps_a_row_for_statistics(
    bob, private_root, django_capture_on_commit_callbacks
):
    application = make_application(phone="+32 470 00 00 00", message="Motivé·e")
    document = with_cv(application)
    Note.objects.create(application=application, author=bob, text="Très bon entretien")
    application.move_to(Status.REJECTED, by=bob, note="Profil trop junior")
    stored = private_root / document.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        application.erase()

    application.refresh_from_db()
    assert application.is_erased
    assert (application.first_name, application.last_name, application.email, application.phone) == ("", "", "", "")
    assert application.message == "" and application.token_hash is None
    assert not application.documents.exists() and not application.notes.exists()
    assert application.status_changes.get().note == ""
    assert not stored.exists()
    assert Application.objects.filter(status=Status.REJECTED).count() == 1


def run_erase_command(on_day):
    out = StringIO()
    moment = timezone.make_aware(datetime.combine(on_day, datetime.min.time()) + timedelta(hours=3))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        call_command("erase_expired_applications", stdout=out)
    return out.getvalue()


def test_the_erase_command_waits_until_the_erase_date(bob):
    application = make_application()
    application.move_to(Status.REJECTED, by=bob)
    run_erase_command(application.erase_after - timedelta(days=1))
    application.refresh_from_db()
    assert not application.is_erased


def test_the_erase_command_erases_on_the_erase_date_and_twice_changes_nothing(bob, django_capture_on_commit_callbacks):
    due = make_application()
    due.move_to(Status.REJECTED, by=bob)
    running = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        first = run_erase_command(due.erase_after)
    due.refresh_from_db()
    running.refresh_from_db()
    assert due.is_erased and not running.is_erased
    assert "1 erased now" in first
    erased_at = due.erased_at

    second = run_erase_command(due.erase_after)
    due.refresh_from_db()
    assert "0 erased now" in second
    assert due.erased_at == erased_at


def test_an_erased_application_frees_the_email_for_a_new_application(bob, django_capture_on_commit_callbacks):
    application = make_application(email="same@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        application.erase()
    make_application(offer=application.offer, email="same@example.org")
    assert Application.objects.filter(offer=application.offer).count() == 2
