"""What the public pages' Jinja2 templates must do as Django's did: plurals, escaping inside translated
sentences, dates in the board's time zone (jobboard/jinja_env.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.factories import make_offer, make_organisation

pytestmark = pytest.mark.django_db


def results_heading(client, path="/offres/"):
    html = client.get(path).content.decode()
    return html.split('id="results-heading"', 1)[1].split("</h2>", 1)[0]


def test_the_list_counts_its_offers_in_singular_and_plural(client):
    make_offer(title="Assistant·e parlementaire")
    assert "1 offre\n" in results_heading(client)

    make_offer(title="Attaché·e de presse")
    assert "2 offres\n" in results_heading(client)
    with translation.override("en"):
        english_list = reverse("offers:list")
    assert "2 offers\n" in results_heading(client, english_list)


def test_the_days_left_are_counted_in_singular_and_plural(client):
    tomorrow = make_offer(deadline=timezone.now() + timedelta(days=1, hours=1))
    later = make_offer(deadline=timezone.now() + timedelta(days=5, hours=1))

    assert "(1 jour restant)" in client.get(tomorrow.get_absolute_url()).content.decode()
    assert "(5 jours restants)" in client.get(later.get_absolute_url()).content.decode()


def test_the_home_page_counts_each_organisations_open_offers(client):
    organisation = make_organisation(name="Ecolo")
    make_offer(organisation=organisation)
    html = client.get("/").content.decode()
    assert "(1 offre ouverte)" in html

    make_offer(organisation=organisation)
    assert "(2 offres ouvertes)" in client.get("/").content.decode()


def test_a_name_in_a_translated_sentence_is_shown_as_text_and_the_sentences_link_stays_a_link(client):
    parent = make_organisation(name="Ecolo & <Groen>", slug="ecolo")
    wing = make_organisation(name="EcoloJ", slug="ecoloj", parent=parent)
    make_offer(organisation=parent, title="Première")
    offer = make_offer(organisation=parent, title="Seconde")

    wing_page = client.get(wing.get_absolute_url()).content.decode()
    assert f'<a href="{parent.get_absolute_url()}">Ecolo &amp; &lt;Groen&gt;</a>' in wing_page
    offer_page = client.get(offer.get_absolute_url()).content.decode()
    assert "Autres offres ouvertes chez Ecolo &amp; &lt;Groen&gt;" in offer_page
    assert "<Groen>" not in offer_page


def test_the_deadline_is_shown_in_the_boards_time_zone(client):
    # 23:30 in UTC is already the next day in Brussels.
    day = timezone.now().date() + timedelta(days=10)
    deadline = datetime(day.year, day.month, day.day, 23, 30, tzinfo=UTC)
    offer = make_offer(deadline=deadline)

    html = client.get(offer.get_absolute_url()).content.decode()

    local = timezone.localtime(deadline)
    assert local.date() == day + timedelta(days=1)
    assert f'<time datetime="{local.isoformat()}">{date_format(local, "j F Y")}</time>' in html
    assert date_format(local, "DATETIME_FORMAT") in html  # "Deadline: …" above the apply button
