"""Search as candidates type it: accents optional, inclusive forms equivalent, case ignored.

The same cases run on SQLite and on PostgreSQL (full-text search with its index)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from offers import search
from offers.apps import make_sqlite_search_index
from offers.models import Offer, OfferQuerySet
from tests.factories import listed_offers, make_offer

pytestmark = pytest.mark.django_db
URL = reverse("offers:list")

INCLUSIVE_FORMS = ["chargée", "chargé·e", "chargé.e", "chargé-e", "chargé(e)", "Chargé", "CHARGE", "chargés"]


def found(client, query):
    return [offer.title for offer in listed_offers(client.get(URL, {"q": query}))]


def at_place(client, text):
    return [offer.title for offer in listed_offers(client.get(URL, {"place": text}))]


@pytest.mark.parametrize("written", INCLUSIVE_FORMS)
@pytest.mark.parametrize("typed", INCLUSIVE_FORMS)
def test_every_inclusive_form_finds_every_other(client, written, typed):
    make_offer(title=f"{written} de communication")
    make_offer(title="Informaticien")
    assert found(client, typed) == [f"{written} de communication"]


def test_accents_are_optional(client):
    make_offer(title="Secrétaire général·e")
    assert found(client, "secretaire general") == ["Secrétaire général·e"]
    assert found(client, "SÉCRÉTAIRE") == ["Secrétaire général·e"]


def test_it_searches_the_sections_too(client):
    make_offer(title="Adjoint·e", profile="Maîtrise du néerlandais")
    assert found(client, "neerlandais") == ["Adjoint·e"]


def test_every_word_must_match_but_each_may_be_the_start_of_a_word(client):
    make_offer(title="Collaborateur·rice parlementaire", missions="Suivre les commissions")
    make_offer(title="Collaborateur·rice communication")
    assert found(client, "collaboratrice parlem") == []  # -trice is another word; stems differ
    assert found(client, "collaborateur parlem") == ["Collaborateur·rice parlementaire"]
    assert found(client, "arlementaire") == []  # not the start of a word


def test_dutch_words_work_the_same(client):
    make_offer(title="Parlementaire medewerker (m/v/x)", missions="Opvolging van de commissies")
    assert found(client, "medewerkers") == ["Parlementaire medewerker (m/v/x)"]
    assert found(client, "commissie") == ["Parlementaire medewerker (m/v/x)"]


def test_search_text_follows_the_title_when_only_the_title_is_saved():
    offer = make_offer(title="Assistant")
    offer.title = "Attaché·e de presse"
    offer.save(update_fields=["title"])
    offer.refresh_from_db()
    assert "attach" in offer.search_text
    assert list(search.matching(Offer.objects.all(), "attachée")) == [offer]


def test_an_edited_offer_is_found_by_its_new_words_only(client):
    offer = make_offer(title="Attaché de presse")
    offer.title = "Juriste"
    offer.save()
    assert found(client, "juriste") == ["Juriste"]
    assert found(client, "presse") == []


def test_a_deleted_offer_leaves_no_words_behind(client):
    # SQLite may give the next offer the deleted one's id: its old words must not find it.
    make_offer(title="Attaché de presse").delete()
    make_offer(title="Juriste")
    assert found(client, "presse") == []


def test_the_sqlite_index_is_made_again_after_a_migration_lost_its_triggers(client, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own index")
    settings.PAGE_CACHE_SECONDS = 0  # nothing is saved in between that would move the cache on
    with connection.cursor() as cursor:
        for index in search.SQLITE_INDEXES:  # as when a migration rebuilds the offers' or places' table
            for name in index.triggers:
                cursor.execute(f"DROP TRIGGER {name}")
    make_offer(title="Juriste", places=("Charleroi",))
    assert found(client, "juriste") == []
    assert at_place(client, "charleroi") == []

    make_sqlite_search_index(using="default")  # what every `migrate` runs at its end

    assert found(client, "juriste") == ["Juriste"]
    assert at_place(client, "charleroi") == ["Juriste"]


def test_punctuation_alone_searches_nothing(client):
    make_offer(title="Stage")
    assert found(client, "·-()") == ["Stage"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chargé·e", ["charg"]),
        ("élu·es", ["elu"]),
        ("coordinateur·trice", ["coordinateur"]),
        ("Hauts-de-France", ["haut", "de", "franc"]),
        ("h/f/x", ["h", "f", "x"]),
    ],
)
def test_keys(text, expected):
    assert search.keys(text) == expected


# The place filter: any part of a city's or a region's name (through trigrams on SQLite)


def test_any_part_of_a_place_name_finds_it_in_any_case(client):
    make_offer(title="Liège", places=("LIÈGE",))
    make_offer(title="Namur", places=("Namur",))
    assert at_place(client, "liège") == ["Liège"]
    assert at_place(client, "IÈG") == ["Liège"]
    assert at_place(client, "amu") == ["Namur"]
    assert at_place(client, "Na") == ["Namur"]  # shorter than a trigram: looked for row by row
    assert at_place(client, "Gand") == []


# Counted and listed in the covering index; counted through the offers' ids; both through the ids.
@pytest.mark.parametrize(("counted", "looked_up"), [(0, 0), (1000, 0), (1000, 1000)])
def test_the_place_filter_counts_and_lists_the_same_offers_however_many_places_match(
    client, monkeypatch, settings, counted, looked_up
):
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(OfferQuerySet, "IDS_COUNTED", counted)
    monkeypatch.setattr(OfferQuerySet, "IDS_LOOKED_UP", looked_up)
    for number in range(1, 25):
        make_offer(title=f"Namur {number:02}", places=("Namur", "Jambes"))
    make_offer(title="Mons", places=("Mons",))
    make_offer(title="Closed", places=("Namur",), deadline=timezone.now() - timedelta(days=1))

    first_page = client.get(URL, {"place": "namur"})

    assert [offer.title for offer in listed_offers(first_page)] == [f"Namur {n:02}" for n in range(24, 4, -1)]
    assert "24 offres" in first_page.content.decode()
    assert [offer.title for offer in listed_offers(client.get(URL, {"place": "namur", "page": 2}))] == [
        "Namur 04",
        "Namur 03",
        "Namur 02",
        "Namur 01",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the place filter's single query on PostgreSQL")
def test_on_postgresql_a_places_offers_are_counted_and_paged_in_one_search(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for number in range(1, 25):
        make_offer(title=f"Namur {number:02}", places=("Namur",))
    make_offer(title="Closed", places=("Namur",), deadline=timezone.now() - timedelta(days=1))

    with CaptureQueriesContext(connection) as queries:
        second_page = client.get(URL, {"place": "namur", "page": 2})
    # Read before the next request: Django empties the connection's query log when a request starts.
    searches = [query["sql"] for query in queries if "%namur%" in query["sql"].lower()]
    past_the_end = client.get(URL, {"place": "namur", "page": 9})

    assert len(searches) == 1 and "OVER ()" in searches[0]
    assert "24 offres" in second_page.content.decode()
    assert [offer.title for offer in listed_offers(second_page)] == ["Namur 04", "Namur 03", "Namur 02", "Namur 01"]
    assert [offer.title for offer in listed_offers(past_the_end)] == ["Namur 04", "Namur 03", "Namur 02", "Namur 01"]
    assert all(card_key.is_open for card_key in second_page.context["page"])


def test_a_places_list_asked_for_an_absurd_page_shows_its_last_page(client):
    # On PostgreSQL, the page of 10**20 went into an OFFSET that a bigint cannot hold: a 500.
    for number in range(1, 25):
        make_offer(title=f"Namur {number:02}", places=("Namur",))

    response = client.get(URL, {"place": "namur", "page": str(10**20)})

    assert response.status_code == 200
    assert [offer.title for offer in listed_offers(response)] == ["Namur 04", "Namur 03", "Namur 02", "Namur 01"]


def test_a_renamed_or_deleted_place_is_found_by_its_new_name_only(client):
    offer = make_offer(title="Attaché", places=("Mons",))
    place = offer.places.get()
    place.locality, place.region = "Tournai", "Hainaut"
    place.save()
    assert at_place(client, "mons") == []
    assert at_place(client, "tournai") == ["Attaché"]
    assert at_place(client, "hainaut") == ["Attaché"]

    place.delete()
    make_offer(title="Juriste", places=("Arlon",))  # SQLite may give the new place the old one's id
    assert at_place(client, "tournai") == []


@pytest.mark.parametrize("text", ['"', 'Mons" OR "Namur', "Mons*", "NEAR(a b)", "a:b", "-Mons"])
def test_a_place_typed_with_search_operators_is_looked_for_as_written(client, text):
    make_offer(title="Mons", places=("Mons",))
    make_offer(title="Namur", places=("Namur",))
    response = client.get(URL, {"place": text})
    assert response.status_code == 200
    assert [offer.title for offer in listed_offers(response)] == []
