"""Whatever a client sends to a public page, the answer is a page or a 4xx, never a 500."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offers.filters import OfferFilter
from tests.factories import make_offer, make_organisation

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Anything a query string or a form can carry, odd characters included.
VALUES = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "\x00", "99999999999999999999", "-1", "on", "true", "é·e", "%", "../", "<script>"]),
)
LIST_PARAMETERS = st.dictionaries(
    st.one_of(st.sampled_from([*OfferFilter.base_filters, "page"]), st.text(max_size=20)),
    st.one_of(VALUES, st.lists(VALUES, max_size=3)),
    max_size=6,
)


@pytest.fixture
def some_offers(db):
    organisation = make_organisation(slug="ecolo", accepts_spontaneous_applications=True)
    return [make_offer(organisation=organisation, title=f"Chargé·e de mission {n}") for n in range(3)]


@FUZZ
@given(query=LIST_PARAMETERS)
def test_the_offer_list_answers_any_query_string(client, some_offers, query):
    response = client.get(reverse("offers:list"), query)
    assert response.status_code == 200


@FUZZ
@given(query=LIST_PARAMETERS)
def test_the_feed_answers_any_query_string(client, some_offers, query):
    assert client.get(reverse("offers:feed_rss"), query).status_code == 200


@FUZZ
@given(
    form=st.dictionaries(
        st.sampled_from(
            [
                "first_name",
                "last_name",
                "email",
                "phone",
                "message",
                "consents_to_political_data",
                "submission_key",
                "website",
                "notice_digest",
                "is_discreet",
            ]
        ),
        VALUES,
        max_size=10,
    )
)
def test_the_application_forms_answer_any_post_with_a_4xx_or_a_confirmation(client, settings, some_offers, form):
    settings.APPLICATION_RATE_LIMIT = 100_000
    for url in (
        reverse("applications:apply", args=[some_offers[0].slug]),
        reverse("applications:spontaneous", args=["ecolo"]),
    ):
        response = client.post(url, form)
        assert response.status_code in (302, 400, 403, 413, 429), (url, response.status_code)
    cache.clear()


@FUZZ
@given(
    form=st.dictionaries(st.sampled_from(["email", "frequency", "query", "website"]), VALUES, max_size=4),
    query=LIST_PARAMETERS,
)
def test_the_alert_form_answers_any_post_with_a_page_or_a_4xx(client, settings, some_offers, form, query):
    settings.APPLICATION_RATE_LIMIT = 100_000
    response = client.post(reverse("alerts:subscribe") + "?" + "&".join(f"{k}=x" for k in query), form)
    assert response.status_code < 500
    cache.clear()


@FUZZ
@given(token=st.text(min_size=1, max_size=200).filter(lambda t: "/" not in t and "\x00" not in t))
def test_private_links_answer_any_token_with_a_404(client, token):
    from urllib.parse import quote

    response = client.get(f"/candidature/{quote(token, safe='')}/")
    assert response.status_code in (404, 301, 302)
