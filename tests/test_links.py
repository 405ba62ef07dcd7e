"""Public pages' addresses joined around their slug instead of reversed each time (jobboard.links)."""

from unittest import mock

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from jobboard import links
from tests.factories import make_group, make_offer, make_organisation

pytestmark = pytest.mark.django_db

SLUG_ROUTES = ["offers:detail", "offers:organisation", "offers:group", "accent_stylesheet"]


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize("viewname", SLUG_ROUTES)
def test_same_address_as_reverse_in_every_language(viewname, language):
    with translation.override(language):
        assert links.slug_url(viewname, "chargee-de-communication-2") == reverse(
            viewname, args=["chargee-de-communication-2"]
        )


def test_follows_the_script_prefix():
    """Served under a sub-path (SCRIPT_NAME), the addresses carry it, as reverse() gives them."""
    try:
        set_script_prefix("/jobs/")
        prefixed = links.slug_url("offers:detail", "assistant")
    finally:
        set_script_prefix("/")
    assert prefixed == "/jobs" + links.slug_url("offers:detail", "assistant")
    assert prefixed.startswith("/jobs/")


def test_a_value_that_is_no_slug_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        links.slug_url("offers:detail", "a/b")
    with pytest.raises(NoReverseMatch):
        links.slug_url("offers:detail", "")


def test_the_offer_page_links_its_organisation_and_group_and_reverses_each_route_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the second page is made again
    organisation = make_organisation()
    offer = make_offer(organisation=organisation, group=make_group(organisation))
    make_offer(organisation=organisation)  # listed under "other open offers"
    links.route_around_slug.cache_clear()
    with mock.patch("jobboard.links.reverse", wraps=reverse) as reversing:
        first = client.get(offer.get_absolute_url())
        client.get(offer.get_absolute_url())

    assert first.status_code == 200
    html = first.content.decode()
    assert f'href="{reverse("offers:organisation", args=[organisation.slug])}"' in html
    assert f'href="{reverse("offers:group", args=[offer.group.slug])}"' in html
    routes = [call.args[0] for call in reversing.call_args_list]
    assert len(routes) == len(set(routes))  # the second page reversed nothing
