"""Queries compiled once per process (jobboard.prepared), run with each call's values."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobboard.prepared import ConvertingOnceCursor, PreparedQuery
from offers.models import Offer, Place
from offers.views import published_offer_page
from tests.factories import make_group, make_offer, make_organisation

pytestmark = pytest.mark.django_db


def counting_builds(build):
    """`build`, and a list that grows by one each time it is called."""
    calls = []

    def counted(**values):
        calls.append(values)
        return build(**values)

    return counted, calls


def test_it_builds_the_queryset_once_and_gives_each_call_its_own_rows():
    first, second = make_offer(title="Attaché de presse"), make_offer(title="Juriste")
    build, builds = counting_builds(lambda slug: Offer.objects.filter(slug=slug))
    by_slug = PreparedQuery(build, slug=str)

    assert by_slug(slug=first.slug) == [first]
    assert by_slug(slug=second.slug) == [second]
    assert by_slug(slug="no-such-offer") == []
    assert len(builds) == 1


def test_the_offer_page_query_gives_what_the_queryset_gives():
    ecolo = make_organisation(name="Ecolo")
    group = make_group(ecolo)
    offer = make_offer(organisation=ecolo, group=group, places=("Namur", "Bruxelles"))
    expected = Offer.objects.published().for_offer_page().get(pk=offer.pk)

    with CaptureQueriesContext(connection) as queries:
        (found,) = published_offer_page(slug=offer.slug, now=timezone.now())
        places = [(place.locality, place.kind) for place in found.places.all()]
        composition = found.group_composition
        names = (found.organisation.name, found.group.name, found.group.institution.name)

    assert len(queries) == 1
    assert places == [(place.locality, place.kind) for place in expected.places.all()]
    assert {place.locality for place in Place.objects.filter(offer=offer)} == {"Namur", "Bruxelles"}
    assert composition == expected.group_composition
    assert names == ("Ecolo", group.name, group.institution.name)
    assert not found.get_deferred_fields()


def test_the_offer_page_query_follows_the_moment_it_is_given():
    publication = timezone.now() + timedelta(hours=1)
    offer = make_offer(status=Offer.Status.SCHEDULED, published_at=publication)

    assert published_offer_page(slug=offer.slug, now=timezone.now()) == []
    assert published_offer_page(slug=offer.slug, now=publication + timedelta(seconds=1)) == [offer]


def test_other_open_offers_leave_out_the_offer_itself_and_closed_ones():
    organisation = make_organisation()
    shown = make_offer(organisation=organisation)
    sibling = make_offer(organisation=organisation, deadline=timezone.now() + timedelta(days=3))
    make_offer(organisation=organisation, status=Offer.Status.CLOSED)
    make_offer()  # another organisation's

    [found] = published_offer_page(slug=shown.slug, now=timezone.now())

    # Only what the page lists of it, as a row, its deadline to the microsecond and in its time zone.
    assert found.other_open_offers == [(sibling.title, sibling.slug, sibling.contract_type, sibling.deadline)]


def test_other_open_offers_follow_the_moment_they_are_given():
    organisation = make_organisation()
    shown = make_offer(organisation=organisation, deadline=timezone.now() + timedelta(days=30))
    closing = make_offer(organisation=organisation, deadline=timezone.now() + timedelta(days=2))

    [now] = published_offer_page(slug=shown.slug, now=timezone.now())
    [in_three_days] = published_offer_page(slug=shown.slug, now=timezone.now() + timedelta(days=3))

    assert [row[1] for row in now.other_open_offers] == [closing.slug]
    assert in_three_days.other_open_offers == []


def test_a_value_the_sql_does_not_use_is_refused_when_compiling():
    ignores_its_value = PreparedQuery(lambda slug: Offer.objects.all(), slug=str)
    with pytest.raises(ValueError, match="slug"):
        ignores_its_value(slug="attache")


def test_values_must_be_the_declared_ones():
    by_slug = PreparedQuery(lambda slug: Offer.objects.filter(slug=slug), slug=str)
    with pytest.raises(TypeError):
        by_slug(title="attache")


def test_only_str_int_and_datetime_values_are_taken():
    with pytest.raises(TypeError, match="float"):
        PreparedQuery(lambda pay: Offer.objects.filter(pay_min=pay), pay=float)


def test_a_datetime_value_compares_as_django_would_compare_it():
    offer = make_offer(deadline=timezone.now() + timedelta(days=2))
    closing_before = PreparedQuery(lambda moment: Offer.objects.filter(deadline__lt=moment), moment=datetime)

    assert closing_before(moment=offer.deadline) == []
    assert closing_before(moment=offer.deadline + timedelta(microseconds=1)) == [offer]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_on_postgresql_the_offer_page_query_is_planned_once_per_connection(django_assert_num_queries):
    first, second = make_offer(title="Attaché de presse"), make_offer(title="Juriste")

    with django_assert_num_queries(2):  # still run, and counted, as Django's own queries
        assert [offer.title for offer in published_offer_page(slug=first.slug, now=timezone.now())] == [first.title]
        assert [offer.title for offer in published_offer_page(slug=second.slug, now=timezone.now())] == [second.title]

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall() if "offers_offer" in statement]
    assert len(prepared) == 1  # one statement, prepared at the first call and run again at the second


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's placeholders")
def test_on_sqlite_the_sql_is_converted_once_and_runs_as_django_would_run_it():
    first, second = make_offer(title="Attaché de presse"), make_offer(title="Juriste")
    # A literal percent sign, doubled in Django's SQL, and the placeholders around it.
    labelled = PreparedQuery(
        lambda slug: Offer.objects.filter(slug=slug).annotate(label=RawSQL("'100%%'", [])), slug=str
    )

    with CaptureQueriesContext(connection) as queries:
        assert [(offer.title, offer.label) for offer in labelled(slug=first.slug)] == [("Attaché de presse", "100%")]
        assert [(offer.title, offer.label) for offer in labelled(slug=second.slug)] == [("Juriste", "100%")]

    assert len(queries) == 2  # still run, and logged, as Django's own queries
    assert first.slug in queries[0]["sql"] and second.slug in queries[1]["sql"]
    sql = labelled._compiled[connection.alias].sql
    assert ConvertingOnceCursor.converted[sql].count("?") == sql.count("%s")
