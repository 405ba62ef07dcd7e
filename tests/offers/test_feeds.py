import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from offers.models import GroupComposition, Offer
from tests.factories import make_group, make_offer, make_organisation

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(response):
    return [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]


def test_the_feed_lists_open_offers_only(client):
    make_offer(title="Open")
    make_offer(title="Past deadline", deadline=timezone.now() - timedelta(minutes=1))
    make_offer(title="Draft", status=Offer.Status.DRAFT, published_at=None)
    response = client.get(reverse("offers:feed_rss"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert rss_titles(response) == ["Open"]


def test_the_feed_of_a_search_applies_the_lists_filters(client):
    make_offer(title="Stage communication", contract_type=Offer.ContractType.INTERNSHIP)
    make_offer(title="CDI communication", contract_type=Offer.ContractType.PERMANENT)
    response = client.get(reverse("offers:feed_rss"), {"q": "communication", "internships": "on"})
    assert rss_titles(response) == ["Stage communication"]


def test_an_item_carries_the_facts_a_candidate_sorts_by(client):
    make_offer(title="Secrétaire général·e", places=("Lille", "Amiens"))
    [item] = ET.fromstring(client.get(reverse("offers:feed_rss")).content).iter("item")
    description = item.findtext("description").replace("\xa0", " ")
    assert "Lille / Amiens" in description
    assert "2 400 – 2 600 €" in description
    assert item.findtext("link").endswith("/offres/" + Offer.objects.get().slug + "/")


def test_the_organisation_feed_includes_its_groups_offers(client):
    party = make_organisation(slug="ecolo")
    group = make_group(make_organisation())
    GroupComposition.objects.create(group=group, party=party, seats=3)
    make_offer(title="Group job", organisation=group.organisation, group=group)
    make_offer(title="Elsewhere")
    response = client.get(reverse("offers:organisation_feed_atom", args=["ecolo"]))
    titles = [entry.findtext(f"{ATOM}title") for entry in ET.fromstring(response.content).iter(f"{ATOM}entry")]
    assert titles == ["Group job"]


def test_an_unknown_organisation_has_no_feed(client):
    assert client.get(reverse("offers:organisation_feed_rss", args=["nobody"])).status_code == 404


def test_pages_announce_their_feeds(client):
    organisation = make_organisation()
    html = client.get(reverse("offers:list"), {"contract": "internship"}).content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert "/offres/flux.rss?contract=internship" in html
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert f"/organisations/{organisation.slug}/flux.atom" in html


def test_a_bad_query_string_gives_a_feed_not_an_error(client):
    make_offer(title="Open")
    response = client.get(reverse("offers:feed_rss"), {"contract": "astronaut", "page": "x"})
    assert response.status_code == 200
    assert rss_titles(response) == ["Open"]


def test_an_items_deadline_is_the_day_in_the_boards_time_zone(client):
    # 23:30 in UTC is already the next day in Brussels.
    day = timezone.now().date() + timedelta(days=10)
    make_offer(deadline=datetime(day.year, day.month, day.day, 23, 30, tzinfo=UTC))

    response = client.get(reverse("offers:feed_rss"))

    [description] = [item.findtext("description") for item in ET.fromstring(response.content).iter("item")]
    assert f"Date limite : {date_format(day + timedelta(days=1), 'DATE_FORMAT')}" in description
