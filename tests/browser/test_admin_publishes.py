"""An organisation admin publishes a draft from the staff admin and candidates see it."""

import pytest
from playwright.sync_api import expect

from offers.models import Membership, Offer
from tests.factories import PASSWORD, add_member, make_offer, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()


def test_an_organisation_admin_publishes_a_draft_and_it_appears_on_the_list(page, screenshot):
    organisation = make_organisation(name="Les Engagés")
    add_member(make_user("bob"), organisation, Membership.Role.ADMIN)
    draft = make_offer(
        title="Assistant·e parlementaire (h/f/x)",
        organisation=organisation,
        status=Offer.Status.DRAFT,
        published_at=None,
    )
    make_offer(title="Offre d'une autre organisation", status=Offer.Status.DRAFT, published_at=None)

    page.goto("/offres/")
    expect(page.get_by_text(draft.title)).to_have_count(0)

    log_in(page, "bob")
    page.goto("/admin/offers/offer/")
    expect(page.locator("#result_list")).to_contain_text(draft.title)
    expect(page.locator("#result_list")).not_to_contain_text("Offre d'une autre organisation")
    page.locator("#result_list").get_by_role("link", name=draft.title).click()
    expect(page.locator("#publication-check")).to_be_visible()
    screenshot("admin-offer-draft")
    page.locator("input[name=_publish]").last.click()
    expect(page.locator(".messagelist")).to_contain_text(draft.title)
    screenshot("admin-offer-published")

    page.goto("/offres/")
    page.get_by_role("link", name="Assistant ou assistante parlementaire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(draft.title)
    draft.refresh_from_db()
    assert draft.status == Offer.Status.PUBLISHED
