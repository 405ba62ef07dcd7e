"""Public pages are cached for anonymous visitors, and never show what has changed since."""

from contextlib import contextmanager
from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from offers import caching
from offers.models import Offer, Place
from tests.factories import make_group, make_offer, make_organisation

pytestmark = pytest.mark.django_db

LIST = reverse("offers:list")


def is_page(key: str) -> bool:
    return "public-pages:" in key and key != caching.GENERATION_KEY and not key.endswith(":next-change")


@pytest.fixture
def stored_timeouts(monkeypatch):
    """The timeout of every page the cache stores."""
    timeouts = []
    real_set = cache.set

    def recording_set(key, value, timeout=None, **kwargs):
        if is_page(key):
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(caching.cache, "set", recording_set)
    return timeouts


def test_a_second_visit_costs_no_query(client, django_assert_num_queries):
    offer = make_offer(title="Attaché·e de presse")
    for url in [
        LIST,
        offer.get_absolute_url(),
        reverse("offers:home"),
        reverse("offers:feed_rss"),
        "/sitemap.xml",
        "/sitemap-offers.xml",
    ]:
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content


def test_each_language_and_query_is_its_own_page(client):
    make_offer(title="Stagiaire", contract_type=Offer.ContractType.INTERNSHIP)
    make_offer(title="Directeur·rice", contract_type=Offer.ContractType.PERMANENT)

    assert "Stagiaire" in client.get(LIST, {"contract": "internship"}).content.decode()
    assert "Directeur·rice" not in client.get(LIST, {"contract": "internship"}).content.decode()
    assert "Directeur·rice" in client.get(LIST).content.decode()
    assert 'lang="nl"' in client.get("/nl" + LIST).content.decode()
    assert 'lang="fr"' in client.get(LIST).content.decode()


def test_an_edited_offer_shows_at_once(client):
    offer = make_offer(title="Assistant·e parlementaire")
    client.get(LIST), client.get(offer.get_absolute_url())

    offer.title = "Collaborateur·rice parlementaire"
    offer.save(update_fields=["title"])

    assert "Collaborateur·rice parlementaire" in client.get(LIST).content.decode()
    assert "Collaborateur·rice parlementaire" in client.get(offer.get_absolute_url()).content.decode()


def test_a_closed_offer_is_not_served_as_open(client):
    offer = make_offer(
        title="Chargé·e de communication", apply_method=Offer.ApplyMethod.EMAIL, apply_email="jobs@example.org"
    )
    assert "jobs@example.org" in client.get(offer.get_absolute_url()).content.decode()

    offer.close()

    html = client.get(offer.get_absolute_url()).content.decode()
    assert "Cette offre est clôturée" in html
    assert "jobs@example.org" not in html
    assert "Chargé·e de communication" not in client.get(LIST).content.decode()


def test_a_deleted_offer_and_a_changed_place_show_at_once(client):
    offer = make_offer(title="Conseiller·ère budgétaire", places=("Namur",))
    other = make_offer(title="Juriste")
    client.get(LIST), client.get(other.get_absolute_url())

    Place.objects.filter(offer=other).get().delete()
    Place.objects.create(offer=other, locality="Liège", country="BE")
    offer.delete()

    assert "Conseiller·ère budgétaire" not in client.get(LIST).content.decode()
    assert "Liège" in client.get(other.get_absolute_url()).content.decode()


def test_a_renamed_organisation_shows_on_its_offers_at_once(client):
    organisation = make_organisation(name="Jeunes Écolos")
    offer = make_offer(organisation=organisation)
    client.get(offer.get_absolute_url())

    organisation.name = "Écolo J"
    organisation.save()

    assert "Écolo J" in client.get(offer.get_absolute_url()).content.decode()


def test_a_page_is_kept_no_longer_than_the_next_deadline(client, stored_timeouts, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    make_offer(deadline=timezone.now() + timedelta(seconds=90))

    client.get(LIST)

    assert stored_timeouts and 80 <= stored_timeouts[0] <= 90


def test_a_page_is_kept_no_longer_than_the_next_scheduled_publication(client, stored_timeouts, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    make_offer(status=Offer.Status.SCHEDULED, published_at=timezone.now() + timedelta(seconds=120))

    client.get(LIST)

    assert stored_timeouts and 110 <= stored_timeouts[0] <= 120


def test_a_page_is_kept_no_later_than_midnight(settings):
    # "Closes tomorrow" must not be shown the day after.
    evening = timezone.make_aware(datetime.combine(timezone.localdate(), time(23, 59, 30)))
    make_offer(deadline=evening + timedelta(days=3))

    assert caching.next_public_change(evening) - evening == timedelta(seconds=30)


def test_closed_offers_and_passed_deadlines_do_not_shorten_the_time(settings):
    now = timezone.now()
    make_offer(deadline=now - timedelta(minutes=5))
    make_offer(status=Offer.Status.CLOSED, deadline=now + timedelta(minutes=5))
    make_offer(status=Offer.Status.DRAFT, published_at=None, deadline=now + timedelta(minutes=5))

    tomorrow = timezone.localdate(now) + timedelta(days=1)
    assert caching.next_public_change(now) == timezone.make_aware(datetime.combine(tomorrow, time.min))


def test_staff_never_get_nor_leave_a_cached_page(client, bob, organisation, stored_timeouts):
    offer = make_offer(organisation=organisation, title="Porte-parole")
    client.get(offer.get_absolute_url())  # cached for anonymous visitors
    client.force_login(bob)

    offer.title = "Porte-parole adjoint·e"
    Offer.objects.filter(pk=offer.pk).update(title=offer.title)  # no save(): the cached page stays

    assert "Porte-parole adjoint·e" in client.get(offer.get_absolute_url()).content.decode()
    assert len(stored_timeouts) == 1


def test_a_visitor_with_a_message_waiting_is_served_fresh(client, stored_timeouts):
    client.cookies["messages"] = "something for this visitor"
    client.get(LIST)
    assert stored_timeouts == []


def test_a_missing_page_is_not_cached(client):
    slug = "delegue-e-general-e"
    assert client.get(reverse("offers:detail", args=[slug])).status_code == 404

    make_offer(slug=slug)

    assert client.get(reverse("offers:detail", args=[slug])).status_code == 200


def test_no_cache_when_turned_off(client, settings, django_assert_num_queries, stored_timeouts):
    settings.PAGE_CACHE_SECONDS = 0
    make_offer()
    client.get(LIST)
    client.get(LIST)
    assert stored_timeouts == []


def test_the_group_page_shows_a_new_party_in_the_composition_at_once(client):
    employer = make_organisation(name="Groupe au conseil")
    group = make_group(employer, seats=10)
    offer = make_offer(organisation=employer, group=group)
    client.get(offer.get_absolute_url()), client.get(group.get_absolute_url())

    group.composition.create(party=make_organisation(name="Parti des Communes"), seats=4)

    assert "Parti des Communes" in client.get(offer.get_absolute_url()).content.decode()
    assert "Parti des Communes" in client.get(group.get_absolute_url()).content.decode()


def test_a_kept_card_follows_its_offer_with_the_page_cache_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    offer = make_offer(title="Attaché·e de presse")
    client.get(LIST)

    offer.title = "Attaché·e de presse et porte-parole"
    offer.save(update_fields=["title"])

    assert "Attaché·e de presse et porte-parole" in client.get(LIST).content.decode()


def test_a_kept_card_says_closed_once_the_deadline_has_passed(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    offer = make_offer(title="Juriste")
    assert "Clôturée" not in client.get(LIST, {"closed": "on"}).content.decode()

    # The deadline passing changes no row: nothing forgets the card but its own key.
    Offer.objects.filter(pk=offer.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    assert "Clôturée" in client.get(LIST, {"closed": "on"}).content.decode()


def test_the_menus_list_a_newly_published_organisation_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_offer(organisation=make_organisation(name="Parti Un"))
    assert "Parti Deux" not in client.get(LIST).content.decode()

    make_offer(organisation=make_organisation(name="Parti Deux"))

    assert '">Parti Deux</option>' in client.get(LIST).content.decode()


def test_the_list_makes_fewer_queries_once_its_menus_and_cards_are_kept(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0  # the page itself is made again each time
    make_offer()
    client.get(LIST)
    with django_assert_num_queries(2):  # the count and the page; menus and cards are kept
        client.get(LIST)


@pytest.fixture
def generation_reads(monkeypatch):
    """How many times the generation is read from the cache (a round trip each, with Redis)."""
    reads = []
    real_get = cache.get

    def recording_get(key, *args, **kwargs):
        if key == caching.GENERATION_KEY:
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(caching.cache, "get", recording_get)
    return reads


def test_a_page_made_anew_reads_the_generation_once(client, generation_reads):
    organisation = make_organisation()
    make_offer(title="Juriste", organisation=organisation, group=make_group(organisation), places=("Namur",))
    caching.current_generation()  # set before, as on a running site
    generation_reads.clear()

    page = client.get(LIST, {"level": "regional"})  # its page's, its cards' and its menus' keys

    assert "Juriste" in page.content.decode()
    assert len(generation_reads) == 1


def test_what_a_request_saves_moves_the_rest_of_that_request_on(generation_reads):
    caching.current_generation()  # set before, as on a running site
    generation_reads.clear()
    with in_a_request():
        before = caching.current_generation()
        assert caching.current_generation() == before and len(generation_reads) == 1
        make_offer()  # as a recruiter's save in the admin
        assert caching.current_generation() != before


@contextmanager
def in_a_request():
    """A request's signals, as Django's test client sends them: without closing the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        yield
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_outside_a_request_a_change_made_elsewhere_is_seen_at_once():
    before = caching.current_generation()
    cache.incr(caching.GENERATION_KEY)  # another process saved something
    assert caching.current_generation() == before + 1
