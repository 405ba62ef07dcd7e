"""A student asks an organisation for an internship."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from tests.applications.applying import form_data, stored_files
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(db):
    return make_organisation(name="Ecolo", slug="ecolo", accepts_internship_requests=True)


@pytest.fixture
def url(organisation):
    return reverse("applications:internship", args=[organisation.slug])


def internship_data(client, url, **overrides):
    today = timezone.localdate()
    fields = {
        "school": "Université libre de Bruxelles",
        "study_programme": "Master en sciences politiques",
        "period_start": (today + timedelta(days=60)).isoformat(),
        "period_end": (today + timedelta(days=150)).isoformat(),
        "needs_agreement": "True",
        "interests": "Climat, mobilité",
    }
    return form_data(client, url, **{**fields, **overrides})


def test_a_student_asks_for_an_internship_and_its_details_are_saved(client, organisation, url):
    response = client.post(url, internship_data(client, url))

    assert response.status_code == 302
    application = Application.objects.get()
    today = timezone.localdate()
    assert (application.kind, application.organisation, application.offer) == (
        Application.Kind.INTERNSHIP,
        organisation,
        None,
    )
    assert application.school == "Université libre de Bruxelles"
    assert application.study_programme == "Master en sciences politiques"
    assert (application.period_start, application.period_end) == (
        today + timedelta(days=60),
        today + timedelta(days=150),
    )
    assert application.needs_agreement is True
    assert application.interests == "Climat, mobilité"
    assert application.documents.count() == 2


def test_a_student_who_needs_no_agreement_says_so(client, url):
    client.post(url, internship_data(client, url, needs_agreement="False"))
    assert Application.objects.get().needs_agreement is False


def test_the_dates_may_be_written_the_french_way(client, url):
    start = timezone.localdate() + timedelta(days=30)
    client.post(url, internship_data(client, url, period_start=start.strftime("%d/%m/%Y")))
    assert Application.objects.get().period_start == start


@pytest.mark.parametrize("missing", ["school", "study_programme", "period_start", "period_end", "needs_agreement"])
def test_the_internship_details_are_required(client, url, missing):
    response = client.post(url, internship_data(client, url, **{missing: None}))

    assert response.status_code == 400
    assert response.context["form"].has_error(missing, "required")
    assert not Application.objects.exists()


def test_a_period_ending_before_it_starts_is_refused_next_to_its_end(client, url):
    today = timezone.localdate()
    data = internship_data(
        client,
        url,
        period_start=(today + timedelta(days=60)).isoformat(),
        period_end=(today + timedelta(days=30)).isoformat(),
    )

    response = client.post(url, data)

    assert response.status_code == 400
    assert response.context["form"].has_error("period_end")
    assert not Application.objects.exists()
    assert stored_files() == []


def test_a_period_starting_in_the_past_is_refused(client, url):
    data = internship_data(client, url, period_start=(timezone.localdate() - timedelta(days=1)).isoformat())
    response = client.post(url, data)
    assert response.context["form"].has_error("period_start", "past")


def test_an_organisation_that_takes_no_internship_requests_has_no_form(client):
    organisation = make_organisation(accepts_spontaneous_applications=True, accepts_internship_requests=False)
    url = reverse("applications:internship", args=[organisation.slug])

    assert client.get(url).status_code == 404
    assert client.post(url, {"first_name": "Camille"}).status_code == 404


def test_the_organisation_page_links_to_the_form(client, organisation, url):
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert f'href="{url}"' in html
    assert reverse("applications:spontaneous", args=[organisation.slug]) not in html


def test_an_organisation_that_takes_internship_requests_by_e_mail_gives_its_address_and_has_no_form(client):
    organisation = make_organisation(accepts_internship_requests=True, internship_requests_email="stages@example.org")
    url = reverse("applications:internship", args=[organisation.slug])

    html = client.get(organisation.get_absolute_url()).content.decode()
    assert 'Nous acceptons les demandes de stage par e-mail : <a href="mailto:stages@example.org">' in html
    assert f'href="{url}"' not in html
    assert client.get(url).status_code == 404
    assert client.post(url, {"first_name": "Camille"}).status_code == 404
    assert not Application.objects.exists()


def test_an_address_for_internship_requests_needs_them_accepted():
    organisation = make_organisation(accepts_internship_requests=False, internship_requests_email="stages@example.org")
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert "internship_requests_email" in refused.value.message_dict
