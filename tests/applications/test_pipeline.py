from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.models import Application, add_months
from tests.factories import make_application

pytestmark = pytest.mark.django_db
Status = Application.Status


def test_moving_an_application_records_who_did_what_and_when(bob):
    application = make_application()
    change = application.move_to(Status.SHORTLISTED, by=bob, note="Bon profil")
    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED
    assert [(c.from_status, c.to_status, c.changed_by, c.note) for c in application.status_changes.all()] == [
        (Status.RECEIVED, Status.SHORTLISTED, bob, "Bon profil")
    ]
    assert change.changed_at == application.status_changed_at


def test_the_first_move_beyond_review_counts_as_an_answer(bob):
    application = make_application()
    application.move_to(Status.IN_REVIEW, by=bob)
    assert application.answered_at is None
    application.move_to(Status.REJECTED, by=bob)
    assert application.answered_at is not None


def test_a_withdrawn_application_moves_no_more(bob):
    application = make_application()
    application.withdraw()
    with pytest.raises(ValidationError):
        application.move_to(Status.INTERVIEW, by=bob)


def test_moving_to_the_same_status_is_refused(bob):
    with pytest.raises(ValidationError):
        make_application().move_to(Status.RECEIVED, by=bob)


def test_an_application_waits_for_an_answer_once_the_delay_has_passed(organisation):
    organisation.answer_within_days = 10
    organisation.save()
    fresh = make_application(organisation=organisation, kind=Application.Kind.SPONTANEOUS)
    late = make_application(organisation=organisation, kind=Application.Kind.SPONTANEOUS)
    late.answer_due_at = timezone.now() - timedelta(minutes=1)
    late.save()
    assert list(Application.objects.awaiting_answer()) == [late]
    assert late.is_awaiting_answer and not fresh.is_awaiting_answer


def test_an_answered_application_no_longer_waits(bob):
    application = make_application(answer_due_at=timezone.now() - timedelta(days=1))
    application.answer_due_at = timezone.now() - timedelta(days=1)
    application.save()
    application.record_contact()
    assert application not in Application.objects.awaiting_answer()


def test_for_user_limits_applications_to_the_users_organisations(bob, charlie, organisation):
    mine = make_application(organisation=organisation, kind=Application.Kind.SPONTANEOUS)
    theirs = make_application()
    assert list(Application.objects.for_user(bob)) == [mine]
    assert theirs not in Application.objects.for_user(bob)
    assert mine not in Application.objects.for_user(charlie)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 22), 3, date(2027, 2, 22)),
        (date(2026, 11, 30), 24, date(2028, 11, 30)),
    ],
)
def test_add_months_keeps_the_day_or_the_end_of_month(day, months, expected):
    assert add_months(day, months) == expected
