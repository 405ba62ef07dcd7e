"""From a demo offer to the recruiter's pipeline, in a real browser: a candidate
applies with a real PDF, a recruiter of the organisation handles the application,
and a recruiter of another organisation sees none of it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from applications.models import Application
from offers.models import Membership, Organisation
from tests.browser.conftest import DESKTOP
from tests.factories import PASSWORD, add_member, docx_bytes, make_user, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OFFER_URL = "/offres/adjoint-e-direction-groupe-les-engages-chambre/"


def log_in(page, username):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()


@pytest.fixture
def recruiters(chromium, live_server):
    call_command("load_demo", verbosity=0)
    add_member(make_user("alice"), Organisation.objects.get(slug="les-engages"), Membership.Role.ADMIN)
    add_member(make_user("charlie"), Organisation.objects.get(slug="ecolo"), Membership.Role.RECRUITER)


def test_a_candidate_applies_and_only_the_organisations_recruiter_handles_it(
    page, chromium, live_server, screenshot, recruiters, tmp_path
):
    cv, letter = tmp_path / "Mon CV.pdf", tmp_path / "Lettre.docx"
    cv.write_bytes(pdf_bytes(pages=2))
    letter.write_bytes(docx_bytes())

    # The candidate
    page.goto(OFFER_URL)
    page.get_by_role("link", name="Postuler en ligne").click()
    page.locator("#id_first_name").fill("Camille")
    page.locator("#id_last_name").fill("Dupont")
    page.locator("#id_email").fill("camille.dupont@example.org")
    page.locator("#id_cv").set_input_files(cv)
    page.locator("#id_letter").set_input_files(letter)
    page.locator("#id_consents_to_political_data").check()
    screenshot("apply-form-desktop")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")
    screenshot("apply-sent-desktop")
    application = Application.objects.get()
    assert application.documents.count() == 2

    # The organisation's recruiter
    log_in(page, "alice")
    page.goto("/admin/applications/application/")
    page.get_by_role("link", name="Camille Dupont").click()
    page.locator("#move-form select").select_option("shortlisted")
    page.locator("#move-form input[type=submit]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Application.Status.SHORTLISTED
    screenshot("admin-application")

    with page.expect_download() as download:
        page.locator("a[href*='/download/']").first.click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")

    csv = page.request.get(f"/admin/applications/application/offers/{application.offer_id}/applications.csv")
    assert csv.ok and "camille.dupont@example.org" in csv.text()

    # A recruiter of another organisation
    stranger = chromium.new_context(base_url=live_server.url, viewport=DESKTOP).new_page()
    log_in(stranger, "charlie")
    stranger.goto("/admin/applications/application/")
    expect(stranger.locator("body")).not_to_contain_text("Dupont")
    response = stranger.goto(f"/admin/applications/application/{application.pk}/change/")
    assert response.status == 404
    csv = stranger.request.get(f"/admin/applications/application/offers/{application.offer_id}/applications.csv")
    assert csv.status == 404
    stranger.context.close()
