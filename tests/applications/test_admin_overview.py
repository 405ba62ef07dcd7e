"""How many applications each offer has, per status and waiting past the answer delay."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from offers.models import Offer
from tests.factories import make_application, make_offer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

Status = Application.Status


def url(view, *args):
    return reverse(f"admin:applications_application_{view}", args=args)


def make_overdue(application):
    Application.objects.filter(pk=application.pk).update(answer_due_at=timezone.now() - timedelta(days=1))
    return application


@pytest.fixture
def offer(organisation, bob):
    """Two received (one overdue), one shortlisted, one rejected."""
    offer = make_offer(organisation=organisation, title="Attaché·e")
    make_overdue(make_application(offer))
    make_application(offer)
    make_application(offer).move_to(Status.SHORTLISTED, by=bob)
    make_application(offer).move_to(Status.REJECTED, by=bob)
    return offer


def test_the_list_filtered_by_offer_shows_its_counts_per_status(client, bob, offer):
    make_application(make_offer(organisation=offer.organisation))
    client.force_login(bob)
    response = client.get(url("changelist"), {"offer__id__exact": offer.pk})
    summary = response.context["offer_summary"]
    counts = {label: count for label, count, _ in summary["statuses"]}
    assert counts["Received"] == 2
    assert counts["Shortlisted"] == 1
    assert counts["Rejected"] == 1
    assert counts["Hired"] == 0
    assert summary["awaiting"][0] == 1
    content = response.content.decode()
    assert "Applications to “Attaché·e”" in content
    assert url("offer_csv", offer.pk) in content


def test_the_unfiltered_list_shows_no_counts(client, bob, offer):
    client.force_login(bob)
    assert client.get(url("changelist")).context["offer_summary"] is None


def test_the_counts_of_another_organisations_offer_are_not_shown(client, charlie, offer):
    client.force_login(charlie)
    response = client.get(url("changelist"), {"offer__id__exact": offer.pk})
    assert response.context["offer_summary"] is None
    assert "Attaché·e" not in response.content.decode()


def test_each_count_links_to_the_filtered_list(client, bob, offer):
    client.force_login(bob)
    summary = client.get(url("changelist"), {"offer__id__exact": offer.pk}).context["offer_summary"]
    received_url = {label: link for label, _, link in summary["statuses"]}["Received"]
    assert client.get(received_url).context["cl"].result_count == 2
    assert client.get(summary["awaiting"][1]).context["cl"].result_count == 1


def test_the_overview_counts_each_offer_per_status(client, bob, organisation, offer):
    quiet = make_offer(organisation=organisation, title="Quiet offer")
    client.force_login(bob)
    response = client.get(url("overview"))
    assert response.status_code == 200
    rows = {row["offer"].title: row for row in response.context["rows"]}
    assert set(rows) == {"Attaché·e", "Quiet offer"}
    statuses = list(Status)
    row = rows["Attaché·e"]
    assert row["total"][0] == 4
    assert row["statuses"][statuses.index(Status.RECEIVED)][0] == 2
    assert row["statuses"][statuses.index(Status.SHORTLISTED)][0] == 1
    assert row["awaiting"][0] == 1
    assert rows["Quiet offer"]["total"][0] == 0
    assert client.get(row["awaiting"][1]).context["cl"].result_count == 1
    assert quiet.title in response.content.decode()


def test_the_overview_lists_open_and_recently_closed_offers_only(client, bob, organisation):
    make_offer(organisation=organisation, title="Open")
    make_offer(
        organisation=organisation, title="Closed last week", status=Offer.Status.CLOSED, closed_at=timezone.now()
    )
    make_offer(
        organisation=organisation,
        title="Closed last year",
        status=Offer.Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=365),
    )
    make_offer(organisation=organisation, title="Draft", status=Offer.Status.DRAFT, published_at=None)
    client.force_login(bob)
    titles = {row["offer"].title for row in client.get(url("overview")).context["rows"]}
    assert titles == {"Open", "Closed last week"}


def test_the_overview_counts_nothing_of_another_organisation(client, charlie, offer):
    client.force_login(charlie)
    response = client.get(url("overview"))
    assert response.context["rows"] == []
    assert "Attaché·e" not in response.content.decode()


def test_the_overview_costs_as_many_queries_for_10_offers_as_for_2(client, bob, organisation):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(url("overview"))
        return len(captured)

    client.force_login(bob)
    for _ in range(2):
        make_application(make_offer(organisation=organisation))
    client.get(url("overview"))
    few = queries()
    for _ in range(8):
        make_application(make_offer(organisation=organisation))
    assert queries() == few


def test_the_list_links_to_the_overview(client, bob):
    client.force_login(bob)
    assert url("overview") in client.get(url("changelist")).content.decode()
