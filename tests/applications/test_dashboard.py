"""The recruiting dashboard on the admin's index: the right figures, for the user's organisations only."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import dashboard
from applications.models import Application
from offers.models import Offer, Organisation, contrast_with_white
from tests.factories import add_member, make_application, make_offer, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

Status = Application.Status
Kind = Application.Kind
INDEX = "/admin/"


def days_ago(days: int, hour: int = 12):
    """`hour` o'clock local time, `days` days ago."""
    return dashboard.start_of(timezone.localdate() - timedelta(days=days)) + timedelta(hours=hour)


def received(offer=None, organisation=None, days=0, **fields):
    application = make_application(offer, organisation, created_at=days_ago(days), **fields)
    application.plan(now=application.created_at)
    application.save(update_fields=["answer_due_at", "erase_after"])
    return application


def answered_after(application, days: int):
    Application.objects.filter(pk=application.pk).update(answered_at=application.created_at + timedelta(days=days))


@pytest.fixture
def open_offer(organisation, bob):
    """Five applications: two received (one past the answer delay), one in review, one shortlisted, one rejected."""
    today = timezone.localdate()
    offer = make_offer(
        organisation=organisation,
        title="Attaché·e",
        deadline=days_ago(-10, hour=23),
        written_test_from=today + timedelta(days=12),
        interviews_from=today + timedelta(days=14),
        interviews_to=today + timedelta(days=16),
        start_date=today + timedelta(days=30),
    )
    received(offer, days=30)  # 21 days to answer: overdue
    received(offer, days=1)
    received(offer, days=3).move_to(Status.IN_REVIEW, by=bob)
    received(offer, days=3).move_to(Status.SHORTLISTED, by=bob)
    received(offer, days=0).move_to(Status.REJECTED, by=bob)
    return offer


@pytest.fixture
def closed_offer(organisation, bob):
    """Four candidates: one hired, one rejected after the interview, one after shortlisting, one never answered."""
    offer = make_offer(
        organisation=organisation, title="Closed offer", status=Offer.Status.CLOSED, closed_at=days_ago(2)
    )
    paths = [
        [Status.SHORTLISTED, Status.INTERVIEW, Status.OFFER_MADE, Status.HIRED],
        [Status.IN_REVIEW, Status.INTERVIEW, Status.REJECTED],
        [Status.SHORTLISTED, Status.REJECTED],
        [],
    ]
    for answer_days, path in zip([2, 4, 9, None], paths, strict=True):
        application = received(offer, days=40)
        for status in path:
            application.move_to(status, by=bob)
        if answer_days:
            answered_after(application, answer_days)
    return offer


@pytest.fixture
def others(organisation):
    received(organisation=organisation, days=5, kind=Kind.SPONTANEOUS)
    received(organisation=organisation, days=5, kind=Kind.INTERNSHIP)


@pytest.fixture
def strangers_offer(other_organisation):
    offer = make_offer(organisation=other_organisation, title="Charlie's secret offer", deadline=days_ago(-5))
    received(offer, days=2)
    return offer


def figures(client, user, **params):
    client.force_login(user)
    response = client.get(INDEX, params)
    assert response.status_code == 200
    return response


# What it shows


def test_each_open_offer_shows_its_applications_per_status(client, bob, open_offer):
    quiet = make_offer(organisation=open_offer.organisation, title="Quiet offer", deadline=days_ago(-20))
    rows = figures(client, bob).context["dashboard"]["open_offers"]["rows"]
    assert [row["offer"] for row in rows] == [open_offer, quiet]  # the nearest deadline first
    counts = dict(zip(Status, [count for count, _url in rows[0]["cells"]], strict=True))
    assert counts == {
        **dict.fromkeys(Status, 0),
        Status.RECEIVED: 2,
        Status.IN_REVIEW: 1,
        Status.SHORTLISTED: 1,
        Status.REJECTED: 1,
    }
    assert rows[0]["total"] == 5
    assert rows[1]["total"] == 0
    assert rows[0]["days_left"] == 10


def test_the_number_waiting_past_the_delay_links_to_their_list(client, bob, open_offer):
    row = figures(client, bob).context["dashboard"]["open_offers"]["rows"][0]
    assert row["awaiting"] == 1
    listed = client.get(row["awaiting_url"])
    assert listed.context["cl"].result_count == 1


def test_each_status_count_links_to_its_list(client, bob, open_offer):
    row = figures(client, bob).context["dashboard"]["open_offers"]["rows"][0]
    received_count, received_url = row["cells"][list(Status).index(Status.RECEIVED)]
    assert client.get(received_url).context["cl"].result_count == received_count == 2


def test_the_applications_per_day_count_each_day_by_kind_and_offer(client, bob, open_offer, closed_offer, others):
    per_day = figures(client, bob).context["dashboard"]["per_day"]
    days = {day.day: day for day in per_day["days"]}
    today = timezone.localdate()
    assert len(days) == dashboard.DAYS
    assert min(days) == today - timedelta(days=dashboard.DAYS - 1)
    assert max(days) == today
    assert days[today - timedelta(days=3)].total == 2
    assert days[today - timedelta(days=2)].total == 0  # a day with none
    assert days[today - timedelta(days=5)].by_kind == [0, 1, 1]  # offer, spontaneous, internship
    assert days[today - timedelta(days=40)].total == 4  # the closed offer's, counted in all
    assert days[today - timedelta(days=40)].by_offer == [0]  # but it is not open
    assert days[today - timedelta(days=3)].by_offer == [2]
    assert per_day["total"] == 5 + 4 + 2
    assert per_day["by_kind"] == [(Kind.OFFER.label, 9), (Kind.SPONTANEOUS.label, 1), (Kind.INTERNSHIP.label, 1)]
    assert per_day["sparks"][0]["total"] == 5


def test_a_day_is_a_day_in_brussels(client, bob, organisation):
    # Half past midnight in Brussels, still the day before in UTC.
    make_application(organisation=organisation, created_at=days_ago(1, hour=0) + timedelta(minutes=30))
    days = {day.day: day for day in figures(client, bob).context["dashboard"]["per_day"]["days"]}
    assert days[timezone.localdate() - timedelta(days=1)].total == 1


def test_the_funnel_of_the_last_closed_offers(client, bob, open_offer, closed_offer):
    outcomes = figures(client, bob).context["dashboard"]["outcomes"]
    assert [row["offer"] for row in outcomes["rows"]] == [closed_offer]
    stages = {stage["label"]: (stage["count"], stage["percent"]) for stage in outcomes["stages"]}
    # The rejected one went to the interview straight from review: it was shortlisted too.
    assert stages == {"Received": (4, 100), "Shortlisted": (3, 75), "Interview": (2, 50), "Hired": (1, 25)}
    assert outcomes["median"] == "4.0 days"
    assert outcomes["answered_percent"] == 75


def test_the_funnel_takes_only_the_last_closed_offers(client, bob, organisation):
    for n in range(dashboard.LAST_CLOSED_OFFERS + 1):
        make_offer(
            organisation=organisation, title=f"Closed {n}", status=Offer.Status.CLOSED, closed_at=days_ago(n + 1)
        )
    passed = make_offer(organisation=organisation, title="Deadline passed", deadline=days_ago(0, hour=0))
    offers = [row["offer"].title for row in figures(client, bob).context["dashboard"]["outcomes"]["rows"]]
    assert offers == [passed.title, "Closed 0", "Closed 1", "Closed 2", "Closed 3"]


def test_without_closed_offers_there_is_no_funnel(client, bob, open_offer):
    response = figures(client, bob)
    assert response.context["dashboard"]["outcomes"]["rows"] == []
    assert "No offer has closed yet." in response.content.decode()


def test_the_calendar_lists_the_coming_steps_in_date_order(client, bob, open_offer):
    later = make_offer(
        organisation=open_offer.organisation,
        title="Later",
        deadline=days_ago(-11),
        start_date=timezone.localdate() + timedelta(weeks=dashboard.CALENDAR_WEEKS + 1),
    )
    make_offer(
        organisation=open_offer.organisation,
        title="Draft",
        status=Offer.Status.DRAFT,
        published_at=None,
        deadline=days_ago(-4),
    )
    weeks = figures(client, bob).context["dashboard"]["calendar"]
    entries = [(entry["label"], entry["offer"].title) for week in weeks for entry in week["entries"]]
    assert entries == [
        ("Application deadline", "Attaché·e"),
        ("Application deadline", "Later"),
        ("Written test", "Attaché·e"),
        ("Interviews", "Attaché·e"),
        ("Start", "Attaché·e"),
    ]
    assert later.start_date > max(entry["day"] for week in weeks for entry in week["entries"])
    mondays = [week["monday"] for week in weeks]
    assert mondays == sorted(mondays)
    assert all(monday.weekday() == 0 for monday in mondays)


# How it is drawn


def test_each_chart_is_an_image_with_a_name_and_its_figures_in_a_table(client, bob, open_offer, closed_offer):
    content = figures(client, bob).content.decode()
    charts = re.findall(r'<svg [^>]*role="img"[^>]*aria-labelledby="([^"]+)"', content)
    assert len(charts) == 4  # the open offer's bar, the days, the open offer's days, the funnel
    for ids in charts:
        for id_ in ids.split():
            assert re.search(rf'<(title|desc) id="{id_}">[^<]+</', content), id_
    assert content.count('<details class="dashboard-data">') == 3
    assert "<table" in content


def test_numbers_in_the_charts_are_not_localised(client, bob, open_offer, settings):
    settings.LANGUAGE_CODE = "fr"
    client.force_login(bob)
    content = client.get(INDEX).content.decode()
    assert not re.search(r'(x|y|width|height)="\d+,\d', content)


def test_every_colour_has_3_to_1_against_white_and_its_own_pattern():
    for styles in (dashboard.STATUS_STYLES, dashboard.KIND_STYLES):
        assert all(contrast_with_white(colour) >= 4.5 for colour, _pattern in styles.values())
        assert len({pattern for _colour, pattern in styles.values()}) == len(styles)


def test_the_dashboard_costs_as_many_queries_for_50_applications_as_for_5(client, bob, organisation):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INDEX).status_code == 200
        return len(captured)

    def add(count):
        for n in range(count):
            offer = [open_offer, closed, None][n % 3]
            application = received(offer, organisation, days=n % 50, kind=Kind.OFFER if offer else Kind.SPONTANEOUS)
            application.move_to([Status.IN_REVIEW, Status.SHORTLISTED, Status.INTERVIEW][n % 3], by=bob)

    open_offer = make_offer(organisation=organisation, deadline=days_ago(-3))
    closed = make_offer(organisation=organisation, status=Offer.Status.CLOSED, closed_at=days_ago(1))
    client.force_login(bob)
    add(5)
    client.get(INDEX)
    few = queries()
    add(45)
    assert queries() == few
    assert Application.objects.count() == 50


# Whose figures


def test_a_recruiter_of_one_organisation_sees_it_without_a_choice(client, bob, organisation, open_offer):
    response = figures(client, bob)
    assert response.context["dashboard_organisation"] == organisation
    assert response.context["dashboard_choices"] == []
    assert 'name="organisation"' not in response.content.decode()


def test_a_stranger_sees_none_of_the_organisations_figures(client, charlie, open_offer, closed_offer, others):
    response = figures(client, charlie)
    content = response.content.decode()
    assert "Attaché·e" not in content
    assert "Closed offer" not in content
    assert response.context["dashboard"]["per_day"]["total"] == 0
    assert response.context["dashboard"]["calendar"] == []


def test_a_stranger_cannot_pick_the_organisation(client, charlie, organisation, open_offer):
    client.force_login(charlie)
    assert client.get(INDEX, {"organisation": organisation.slug}).status_code == 404
    assert client.get(INDEX, {"organisation": "all"}).status_code == 404
    assert client.get(INDEX, {"organisation": "no-such-organisation"}).status_code == 404


def test_a_member_of_two_organisations_picks_one(client, organisation, other_organisation, open_offer, strangers_offer):
    dora = make_user("dora")
    add_member(dora, organisation)
    add_member(dora, other_organisation)
    response = figures(client, dora)
    assert response.context["dashboard_organisation"] == organisation  # Ecolo, first by name
    assert set(response.context["dashboard_choices"]) == {organisation, other_organisation}
    assert "Charlie&#x27;s secret offer" not in response.content.decode()
    response = figures(client, dora, organisation=other_organisation.slug)
    titles = [row["offer"].title for row in response.context["dashboard"]["open_offers"]["rows"]]
    assert titles == ["Charlie's secret offer"]


def test_staff_without_a_membership_get_the_plain_index(client, open_offer):
    response = figures(client, make_user("eve"))
    assert "dashboard" not in response.context
    assert "recruiting-dashboard" not in response.content.decode()
    assert client.get(INDEX, {"organisation": open_offer.organisation.slug}).status_code == 200


def test_the_anonymous_are_sent_to_the_login(client, open_offer):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_superuser_sees_all_organisations_or_picks_one(client, superuser, organisation, open_offer, strangers_offer):
    response = figures(client, superuser)
    assert response.context["dashboard_organisation"] is None
    titles = {row["offer"].title for row in response.context["dashboard"]["open_offers"]["rows"]}
    assert titles == {"Attaché·e", "Charlie's secret offer"}
    assert 'value="all" selected' in response.content.decode()
    response = figures(client, superuser, organisation=organisation.slug)
    titles = {row["offer"].title for row in response.context["dashboard"]["open_offers"]["rows"]}
    assert titles == {"Attaché·e"}


def test_a_superuser_without_any_organisation_gets_the_plain_index(client, superuser):
    Organisation.objects.all().delete()
    assert "dashboard" not in figures(client, superuser).context
