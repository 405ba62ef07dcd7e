"""A recruiter of an organisation that requires two-factor authentication sets up an app, then logs in with it."""

from base64 import b32decode
from time import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, add_member, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def code_from(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app holding the secret, as shown on the page, displays."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def log_in(page, username):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()


def assert_accessible(page):
    # Our part of the page: Django's own header and menus are not ours to fix.
    violations = page.evaluate("options => axe.run('#content', options)", AXE_OPTIONS)["violations"]
    assert not violations, [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_a_recruiter_sets_up_an_app_when_required_and_logs_in_with_it(page, screenshot):
    page.context.add_init_script(Axe().axe_script)
    add_member(make_user("bob"), make_organisation(name="Ecolo", requires_two_factor=True))

    log_in(page, "bob")
    expect(page).to_have_url("/admin/two-factor/enrol/?next=%2Fadmin%2F")
    expect(page.locator(".messagelist")).to_contain_text("Ecolo")
    qr = page.locator("img.two-factor-qr")
    expect(qr).to_be_visible()
    assert qr.get_attribute("alt")
    assert page.evaluate("img => img.naturalWidth", qr.element_handle()) > 100  # the SVG loaded
    screenshot("admin-two-factor-enrol")
    screenshot("admin-two-factor-enrol-phone", viewport=PHONE)
    assert_accessible(page)

    secret = page.locator("#two-factor-secret").inner_text()
    page.locator("#id_code").fill(code_from(secret))
    page.locator("input[type=submit].default").click()
    codes = page.locator("#backup-codes li")
    expect(codes).to_have_count(10)
    screenshot("admin-two-factor-backup-codes")
    page.locator("#content-main a.button").click()
    expect(page).to_have_url("/admin/")

    page.locator("#logout-form button").click()
    log_in(page, "bob")
    expect(page).to_have_url("/admin/two-factor/verify/?next=%2Fadmin%2F")
    page.goto("/admin/offers/offer/")  # no way around the code
    expect(page).to_have_url("/admin/two-factor/verify/?next=%2Fadmin%2Foffers%2Foffer%2F")
    assert_accessible(page)
    screenshot("admin-two-factor-verify")
    code = page.locator("#id_code")
    expect(page.locator("label[for=id_code]")).to_be_visible()
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")
    code.fill(code_from(secret, steps_ahead=1))  # the enrolment's code serves once
    page.locator("input[type=submit].default").click()
    expect(page).to_have_url("/admin/offers/offer/")
