"""A candidate sends a spontaneous application to an organisation that takes them."""

import pytest
from django.core import mail
from django.urls import reverse

from applications import views
from applications.models import Application, Document
from tests.applications.applying import form_data, stored_files
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(db):
    return make_organisation(name="Ecolo", slug="ecolo", accepts_spontaneous_applications=True)


@pytest.fixture
def url(organisation):
    return reverse("applications:spontaneous", args=[organisation.slug])


def test_a_candidate_sends_a_spontaneous_application(client, organisation, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(client, url))

    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.kind, application.organisation, application.offer) == (
        Application.Kind.SPONTANEOUS,
        organisation,
        None,
    )
    assert application.documents.count() == 2
    assert organisation.name in application.privacy_notice
    assert [m.to for m in mail.outbox] == [["camille.dupont@example.org"]]


def test_the_letter_of_a_spontaneous_application_is_optional(client, url):
    assert client.post(url, form_data(client, url, letter=None)).status_code == 302
    assert [d.kind for d in Document.objects.all()] == [Document.Kind.CV]


def test_an_organisation_that_takes_no_spontaneous_applications_has_no_form(client):
    organisation = make_organisation(accepts_spontaneous_applications=False, accepts_internship_requests=True)
    url = reverse("applications:spontaneous", args=[organisation.slug])

    assert client.get(url).status_code == 404
    assert client.post(url, {"first_name": "Camille"}).status_code == 404
    assert not Application.objects.exists()


def test_the_organisation_page_links_to_the_form(client, organisation, url):
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert f'href="{url}"' in html
    assert reverse("applications:internship", args=[organisation.slug]) not in html


def test_the_same_form_sent_twice_at_once_stores_one_application(client, url, monkeypatch):
    data = form_data(client, url)
    racing = form_data(client, url, submission_key=data["submission_key"])
    client.post(url, data)
    # The second request looked before the first one committed, found nothing, and hit the unique key.
    real_lookup, lookups = views.previous_submission, []

    def previous_submission(request):
        lookups.append(request)
        return real_lookup(request) if len(lookups) > 1 else None

    monkeypatch.setattr(views, "previous_submission", previous_submission)

    response = client.post(url, racing)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:sent")
    assert Application.objects.count() == 1
    assert len(stored_files()) == 2
