"""An organisation's accent colour reaches its pages through a stylesheet of its own, since the
Content-Security-Policy refuses style attributes."""

import pytest
from django.urls import reverse

from tests.factories import make_offer, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecolo(db):
    return make_organisation(name="Ecolo", slug="ecolo", accent_colour="#2b7a3d", accepts_internship_requests=True)


def test_the_stylesheet_gives_the_organisations_class_its_colour(client, ecolo):
    response = client.get(ecolo.accent_stylesheet_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.content.decode() == ".accent-ecolo { --jb-accent: #2b7a3d; }\n"


def test_its_versioned_address_is_kept_for_good_by_browsers(client, ecolo):
    response = client.get(ecolo.accent_stylesheet_url)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{ecolo.accent_version}"'


def test_a_new_colour_is_a_new_address(ecolo):
    before = ecolo.accent_stylesheet_url
    ecolo.accent_colour = "#1a5e9a"
    assert ecolo.accent_stylesheet_url != before


def test_an_outdated_address_gets_the_current_colour_checked_again_at_each_use(client, ecolo):
    outdated = reverse("accent_stylesheet", args=["ecolo"]) + "?v=0123456789abcdef"
    response = client.get(outdated)
    assert response.content.decode() == ".accent-ecolo { --jb-accent: #2b7a3d; }\n"
    assert response["Cache-Control"] == "public, no-cache"

    again = client.get(outdated, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_an_organisation_without_a_colour_or_with_an_invalid_one_has_no_stylesheet(client, ecolo):
    plain = make_organisation(slug="plain")
    assert plain.accent_class == ""
    assert client.get(reverse("accent_stylesheet", args=["plain"])).status_code == 404
    assert client.get(reverse("accent_stylesheet", args=["nobody"])).status_code == 404

    # Saved around the form's validation: nothing of it may reach a stylesheet.
    ecolo.accent_colour = "red;}"
    ecolo.save()
    assert client.get(reverse("accent_stylesheet", args=["ecolo"])).status_code == 404


def test_the_stylesheet_only_answers_reads(client, ecolo):
    assert client.post(ecolo.accent_stylesheet_url).status_code == 405


def test_the_organisation_offer_and_application_pages_link_it_and_use_the_class(client, ecolo):
    offer = make_offer(organisation=ecolo)
    link = f'<link rel="stylesheet" href="{ecolo.accent_stylesheet_url}">'.replace("&", "&amp;")
    for url, element in [
        (ecolo.get_absolute_url(), '<article class="organisation accent-ecolo">'),
        (offer.get_absolute_url(), '<article class="offer accent-ecolo">'),
        (reverse("applications:apply", args=[offer.slug]), '<div class="apply-page page-column mx-auto accent-ecolo">'),
        (
            reverse("applications:internship", args=["ecolo"]),
            '<div class="apply-page page-column mx-auto accent-ecolo">',
        ),
    ]:
        html = client.get(url).content.decode()
        assert link in html, url
        assert element in html, url


def test_pages_of_an_organisation_without_a_colour_link_no_stylesheet(client):
    offer = make_offer(organisation=make_organisation(slug="plain"))
    html = client.get(offer.get_absolute_url()).content.decode()
    assert "accent.css" not in html
    assert '<article class="offer">' in html
