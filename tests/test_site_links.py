"""The addresses every page links to, kept per language (jobboard.context_processors.site_links)."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_page_links_home_offers_feeds_and_staff_area_in_its_language(client, language):
    with translation.override(language):
        home, offers = reverse("offers:home"), reverse("offers:list")
        feeds, staff = (reverse("offers:feed_rss"), reverse("offers:feed_atom")), reverse("admin:index")

    html = client.get(offers).content.decode()

    assert f'href="{home}"' in html
    assert f'href="{offers}"' in html
    assert all(f'href="{feed}"' in html for feed in feeds)
    assert f'href="{staff}"' in html


def test_static_links_follow_the_storage(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the page itself is made again
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert 'href="/static/css/site.css"' in client.get(reverse("offers:list")).content.decode()

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    html = client.get(reverse("offers:list")).content.decode()
    assert 'href="/static/css/site.css"' not in html
    assert 'href="/static/css/site.' in html  # its hashed name
