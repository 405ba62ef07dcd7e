"""A candidate finds and reads offers in a real browser, on a desktop and a phone."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(media_root):
    call_command("load_demo", verbosity=0)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_candidate_filters_the_list_and_reads_an_internship(page, screenshot, demo):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot("home-desktop")
    screenshot("home-phone", PHONE)

    page.get_by_role("link", name="Toutes les offres").first.click()
    page.get_by_label("Inclure les offres clôturées").check()
    page.get_by_label("Stage", exact=True).check()
    page.get_by_role("button", name="Afficher les offres").click()
    expect(page).to_have_url(re.compile(r"contract=internship"))
    results = page.locator("article.offer-card")
    expect(results).to_have_count(1)
    expect(page.locator(".active-filters")).to_contain_text("Stage")
    screenshot("list-filtered-desktop")

    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chargé·e de mission")
    expect(page.get_by_text("Cette offre est clôturée")).to_be_visible()
    screenshot("offer-closed-desktop")


def test_an_open_offer_leads_with_its_facts_on_a_phone(page, screenshot, demo):
    page.set_viewport_size(PHONE)
    page.goto("/offres/?organisation=les-engages")
    page.locator("article.offer-card").first.get_by_role("link").click()
    facts = page.locator("dl.facts--lead")
    for label in ("Contrat", "Lieu de travail", "Rémunération", "Date limite"):
        expect(facts).to_contain_text(label)
    expect(facts).to_contain_text("4 200")
    expect(page.get_by_role("link", name="Comment postuler")).to_be_visible()
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("offer-open-phone", PHONE)


def test_a_keyboard_user_can_skip_to_the_content(page, demo):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_a_candidate_switches_to_dutch_and_stays_on_the_same_offer(page, screenshot, demo):
    page.goto("/offres/?organisation=les-engages")
    page.locator("article.offer-card").first.get_by_role("link").click()
    french_url = page.url
    page.locator(".language-switcher").get_by_role("link", name="NL").click()
    assert page.url == french_url.replace("/offres/", "/nl/offres/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("dl.facts--lead")).to_contain_text("Uiterste datum")
    expect(page.get_by_role("link", name="Online solliciteren")).to_be_visible()
    expect(page.get_by_role("link", name="Alle vacatures")).to_be_visible()
    screenshot("offer-dutch-desktop")
