"""The public-visibility rule, at its edges: publication time and deadline."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from offers.filters import OfferFilter
from offers.models import Offer
from tests.factories import make_offer

pytestmark = pytest.mark.django_db


def test_it_hides_drafts():
    offer = make_offer(status=Offer.Status.DRAFT, published_at=None)
    assert offer not in Offer.objects.published()
    assert offer not in Offer.objects.open()


def test_it_hides_a_scheduled_offer_until_its_time():
    offer = make_offer(status=Offer.Status.SCHEDULED, published_at=timezone.now() + timedelta(minutes=1))
    assert offer not in Offer.objects.published()


def test_it_shows_a_scheduled_offer_once_its_time_has_come():
    offer = make_offer(status=Offer.Status.SCHEDULED, published_at=timezone.now() - timedelta(seconds=1))
    assert offer in Offer.objects.open()
    assert offer.effective_status == Offer.Status.PUBLISHED


def test_it_stops_taking_applications_the_minute_the_deadline_passes():
    offer = make_offer(deadline=timezone.now() - timedelta(seconds=1))
    assert offer in Offer.objects.published()
    assert offer not in Offer.objects.open()
    assert not offer.is_open
    assert offer.effective_status == Offer.Status.CLOSED


def test_it_still_takes_applications_just_before_the_deadline():
    offer = make_offer(deadline=timezone.now() + timedelta(minutes=1))
    assert offer in Offer.objects.open()
    assert offer.is_open


def test_it_keeps_closed_offers_readable_but_not_open():
    offer = make_offer(status=Offer.Status.CLOSED)
    assert offer in Offer.objects.published()
    assert offer not in Offer.objects.open()


def test_it_hides_archived_offers():
    offer = make_offer(status=Offer.Status.ARCHIVED)
    assert offer not in Offer.objects.published()


def test_closing_within_counts_days_from_now():
    soon = make_offer(deadline=timezone.now() + timedelta(days=6, hours=23))
    later = make_offer(deadline=timezone.now() + timedelta(days=7, hours=1))
    closing = list(Offer.objects.closing_within(7))
    assert soon in closing
    assert later not in closing


def test_for_user_shows_staff_only_their_organisations_offers(bob, charlie, superuser, organisation):
    mine = make_offer(organisation=organisation)
    theirs = make_offer()
    assert list(Offer.objects.for_user(bob)) == [mine]
    assert mine not in Offer.objects.for_user(charlie)
    assert set(Offer.objects.for_user(superuser)) == {mine, theirs}


def test_for_user_shows_nothing_to_a_member_who_lost_staff_status(bob, organisation):
    make_offer(organisation=organisation)
    bob.is_staff = False
    bob.save()
    assert not Offer.objects.for_user(bob).exists()


def test_the_list_asks_for_open_offers_with_one_status_condition(client, settings):
    """With published()'s statuses and open()'s both, SQLite searched the index with the wider
    list (closed offers too) and counting the open offers took twice as long."""
    settings.PAGE_CACHE_SECONDS = 0
    make_offer()

    with CaptureQueriesContext(connection) as queries:
        client.get("/offres/")

    status_conditions = [query["sql"].count('"offers_offer"."status" IN') for query in queries]
    assert [count for count in status_conditions if count] == [1, 1]  # the count, the page


def test_the_list_filter_keeps_only_public_offers_even_without_data():
    public = make_offer()
    make_offer(status=Offer.Status.DRAFT, published_at=None)
    make_offer(status=Offer.Status.CLOSED)

    assert list(OfferFilter(queryset=Offer.objects.all()).qs) == [public]
    assert set(OfferFilter({"closed": "on"}, queryset=Offer.objects.all()).qs) == set(Offer.objects.published())
