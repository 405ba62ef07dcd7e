"""Candidates see their files go up, and lose nothing when the upload fails."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import Application
from tests.factories import docx_bytes, large_pdf_bytes, make_offer, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def apply_url():
    offer = make_offer(title="Chargé·e de communication")
    return f"/offres/{offer.slug}/postuler/"


def fill_in(page, cv_path):
    letter = cv_path.with_name("lettre.docx")
    letter.write_bytes(docx_bytes())
    page.locator("#id_first_name").fill("Camille")
    page.locator("#id_last_name").fill("Dupont")
    page.locator("#id_email").fill("camille@example.org")
    page.locator("#id_cv").set_input_files(cv_path)
    page.locator("#id_letter").set_input_files(letter)
    page.locator("#id_consents_to_political_data").check()


def test_a_9_mb_cv_goes_up_with_a_progress_bar_announced_to_screen_readers(page, screenshot, apply_url, tmp_path):
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(large_pdf_bytes(9 * 1024 * 1024))
    page.goto(apply_url)
    fill_in(page, cv)
    # About 3 MB/s up, so that the upload lasts a few seconds.
    page.context.new_cdp_session(page).send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 3 * 1024 * 1024},
    )
    page.locator("main form button[type=submit]").click()

    status = page.locator("[data-upload-status]")
    expect(status).to_have_text(re.compile(r"[1-9]\d? ?%"), timeout=10_000)  # somewhere between 1 and 99 %
    value = page.locator("#upload-progress-bar").evaluate("bar => bar.value")
    assert 0 < value < 100
    screenshot("upload-progress")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci", timeout=30_000)
    cv_document = Application.objects.get().documents.get(kind="cv")
    assert cv_document.size > 9 * 1024 * 1024


def test_a_failed_upload_keeps_everything_typed(page, apply_url, tmp_path):
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(pdf_bytes())
    page.goto(apply_url)
    fill_in(page, cv)
    page.route("**/postuler/", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.locator("main form button[type=submit]").click()

    expect(page.locator("[data-upload-status]")).to_contain_text("Vos réponses sont toujours là")
    expect(page.locator("#id_first_name")).to_have_value("Camille")
    expect(page.locator("#id_email")).to_have_value("camille@example.org")
    expect(page.locator("main form button[type=submit]")).to_be_enabled()
    assert not Application.objects.exists()


def test_the_form_works_without_javascript(chromium, live_server, apply_url, tmp_path):
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(pdf_bytes())
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(apply_url)
    fill_in(page, cv)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")
    assert Application.objects.count() == 1
    context.close()


def test_a_refused_upload_says_why_and_keeps_everything_typed(page, settings, apply_url, tmp_path):
    settings.MAX_DOCUMENT_BYTES = 100_000
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(large_pdf_bytes(1_500_000))  # beyond what the server reads at all
    page.goto(apply_url)
    fill_in(page, cv)
    page.locator("main form button[type=submit]").click()

    status = page.locator("[data-upload-status]")
    expect(status).to_contain_text("Vos fichiers sont trop lourds. Chaque document")
    expect(status).to_contain_text("Vos réponses sont toujours là")
    expect(page.locator("#id_email")).to_have_value("camille@example.org")
    assert not Application.objects.exists()
