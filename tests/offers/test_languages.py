"""The same pages in French (no prefix), Dutch (/nl/) and English (/en/)."""

import pytest
from django.urls import clear_url_caches, reverse
from django.utils import translation

from jobboard.context_processors import site
from tests.factories import make_offer

pytestmark = pytest.mark.django_db


def test_pages_without_a_prefix_are_french_whatever_the_browser_asks(client):
    response = client.get("/offres/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


@pytest.mark.parametrize("code", ["nl", "en"])
def test_a_language_prefix_serves_the_page_in_that_language(client, code):
    offer = make_offer()
    response = client.get(f"/{code}/offres/{offer.slug}/")
    assert response.status_code == 200
    assert f'<html lang="{code}">' in response.content.decode()


def test_urls_reversed_in_dutch_carry_the_prefix():
    offer = make_offer()
    with translation.override("nl"):
        assert offer.get_absolute_url() == f"/nl/offres/{offer.slug}/"
    assert offer.get_absolute_url() == f"/offres/{offer.slug}/"


def test_the_switcher_keeps_the_page_and_its_filters(client):
    html = client.get("/offres/", {"contract": "internship"}).content.decode()
    assert 'href="/nl/offres/?contract=internship" hreflang="nl"' in html
    assert 'href="/en/offres/?contract=internship" hreflang="en"' in html
    assert 'aria-current="true" lang="fr"' in html


def test_every_page_names_its_translations_and_canonical_address(client, settings):
    offer = make_offer()
    html = client.get(offer.get_absolute_url()).content.decode()
    site = settings.SITE_URL
    assert f'<link rel="canonical" href="{site}/offres/{offer.slug}/">' in html
    for code, prefix in (("fr", ""), ("nl", "/nl"), ("en", "/en")):
        assert f'<link rel="alternate" hreflang="{code}" href="{site}{prefix}/offres/{offer.slug}/">' in html
    assert f'hreflang="x-default" href="{site}/offres/{offer.slug}/"' in html


def test_an_offer_page_describes_itself_for_sharing(client):
    offer = make_offer(title="Attaché·e de presse")
    html = client.get(offer.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Attaché·e de presse' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_the_admin_has_no_language_prefix(client):
    assert client.get("/nl/admin/").status_code == 404
    assert client.get(reverse("admin:login")).status_code == 200


def test_each_page_keeps_its_own_translations_when_asked_again(client, settings):
    # The translations of a path are worked out once per process (jobboard.context_processors).
    offers = make_offer(), make_offer()
    prefixes = {"fr": "", "nl": "/nl", "en": "/en"}
    for _ in range(2):
        for offer in offers:
            for prefix in prefixes.values():
                html = client.get(f"{prefix}/offres/{offer.slug}/").content.decode()
                for code, other_prefix in prefixes.items():
                    address = f"{settings.SITE_URL}{other_prefix}/offres/{offer.slug}/"
                    assert f'<link rel="alternate" hreflang="{code}" href="{address}">' in html


def test_the_translations_follow_a_change_of_default_language(rf, settings):
    offer = make_offer()
    request = rf.get(f"/offres/{offer.slug}/")
    with translation.override("nl"):
        site(request)  # with French the default, a path without a prefix is no Dutch page
        settings.LANGUAGE_CODE = "nl"
        clear_url_caches()  # the URL resolver keeps the language prefixes it has seen
        paths = {page.code: page.path for page in site(request)["page_translations"]}
    assert paths == {
        "fr": f"/fr/offres/{offer.slug}/",
        "nl": f"/offres/{offer.slug}/",
        "en": f"/en/offres/{offer.slug}/",
    }
