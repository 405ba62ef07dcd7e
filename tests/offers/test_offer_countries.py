"""Offer.countries, which the list's country filter reads, follows the offer's places however they change."""

import importlib

import pytest
from django.apps import apps

from offers.models import Country, Offer, Place
from tests.factories import listed_offers, make_offer

pytestmark = pytest.mark.django_db
URL = "/offres/"


def in_country(client, code):
    return [offer.title for offer in listed_offers(client.get(URL, {"country": code}))]


def test_a_place_added_changed_or_deleted_moves_the_offer_between_countries(client):
    offer = make_offer(title="Chargé·e de mission", places=("Bruxelles",))
    assert (in_country(client, "BE"), in_country(client, "FR")) == (["Chargé·e de mission"], [])

    lille = Place.objects.create(offer=offer, locality="Lille", country=Country.FRANCE, position=1)
    assert (in_country(client, "BE"), in_country(client, "FR")) == (["Chargé·e de mission"], ["Chargé·e de mission"])

    lille.country = Country.LUXEMBOURG
    lille.save()
    assert (in_country(client, "FR"), in_country(client, "LU")) == ([], ["Chargé·e de mission"])

    offer.places.get(locality="Bruxelles").delete()
    assert (in_country(client, "BE"), in_country(client, "LU")) == ([], ["Chargé·e de mission"])
    assert Offer.objects.get(pk=offer.pk).countries == "LU"


def test_bulk_changes_to_places_keep_the_countries_too(client):
    first = make_offer(title="Première", places=("Bruxelles", "Namur"))
    second = make_offer(title="Seconde", places=("Liège",))

    Place.objects.filter(offer=first).update(country=Country.FRANCE)
    assert in_country(client, "FR") == ["Première"]

    Place.objects.bulk_create([Place(offer=second, locality="Lille", country=Country.FRANCE, position=1)])
    assert in_country(client, "FR") == ["Seconde", "Première"]

    Place.objects.filter(offer=second, country=Country.FRANCE).delete()
    assert in_country(client, "FR") == ["Première"]
    assert in_country(client, "BE") == ["Seconde"]

    second.places.all().delete()  # an offer with no place is in no country
    assert (in_country(client, "BE"), Offer.objects.get(pk=second.pk).countries) == ([], "")


def test_an_offer_deleted_with_its_places_leaves_nothing_behind(client):
    offer = make_offer(places=("Bruxelles", "Lille"))
    offer.delete()
    assert not Place.objects.exists()
    assert in_country(client, "BE") == []


def test_a_copied_offer_carries_its_places_countries():
    offer = make_offer(places=("Bruxelles",))
    Place.objects.create(offer=offer, locality="Lille", country=Country.FRANCE, position=1)

    copy = offer.duplicate()

    assert Offer.objects.get(pk=copy.pk).countries == "BE FR"


def test_the_migration_fills_the_countries_of_the_offers_already_there():
    offer = make_offer(places=("Bruxelles",))
    Place.objects.create(offer=offer, locality="Lille", country=Country.FRANCE, position=1)
    nowhere = make_offer(places=())
    Offer.objects.update(countries="")

    importlib.import_module("offers.migrations.0012_offer_countries").fill_countries(apps, None)

    assert dict(Offer.objects.values_list("pk", "countries")) == {offer.pk: "BE FR", nowhere.pk: ""}
