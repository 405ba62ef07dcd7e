from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import make_application, make_offer, make_organisation
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

# Nothing inline, no nonce, nothing from elsewhere (see CONTENT_SECURITY_POLICY in the settings).
STRICT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


class InlineCode(HTMLParser):
    """What a strict policy would refuse on a page: inline scripts, event handlers, style attributes and
    elements. A JSON-LD block is data that no browser runs, outside the policy's reach."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.found.append(self.get_starttag_text())
        if tag == "style" or "style" in attrs or any(name.startswith("on") for name in attrs):
            self.found.append(self.get_starttag_text())


def inline_code(response) -> list[str]:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found


def test_pages_refuse_framing_sniffing_referrers_and_unused_browser_features(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def public_pages(db):
    organisation = make_organisation(
        name="Ecolo", slug="ecolo", accent_colour="#2b7a3d", accepts_spontaneous_applications=True
    )
    offer = make_offer(organisation=organisation)
    return [
        reverse("offers:home"),
        reverse("offers:list") + "?q=chargé",
        offer.get_absolute_url(),
        reverse("offers:organisation", args=[organisation.slug]),
        reverse("applications:apply", args=[offer.slug]),
        reverse("applications:spontaneous", args=[organisation.slug]),
        reverse("alerts:subscribe") + "?q=chargé",
        "/nl" + offer.get_absolute_url(),
    ]


def test_public_pages_carry_the_strict_content_security_policy_and_nothing_it_would_refuse(client, public_pages):
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == STRICT_POLICY, url
        assert inline_code(response) == [], url


def test_an_offer_keeps_its_json_ld_which_browsers_do_not_run(client):
    offer = make_offer()
    response = client.get(offer.get_absolute_url())
    assert b'<script type="application/ld+json">' in response.content


def test_admin_pages_carry_the_same_policy(client, superuser):
    offer = make_offer()
    application = make_application(offer=offer)
    assert policy(client.get(reverse("admin:login"))) == STRICT_POLICY

    client.force_login(superuser)
    for url in (
        reverse("admin:index"),
        reverse("admin:offers_offer_changelist"),
        reverse("admin:offers_offer_change", args=[offer.pk]),
        reverse("admin:applications_application_changelist") + "?status__exact=received",
        reverse("admin:applications_application_change", args=[application.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == STRICT_POLICY, url
        assert inline_code(response) == [], url


def test_error_pages_carry_the_policy_too(client):
    response = client.get("/offres/no-such-offer/")
    assert response.status_code == 404
    assert policy(response) == STRICT_POLICY


def test_behind_https_the_policy_also_upgrades_insecure_requests():
    # Not on plain HTTP (SECURE_SSL_REDIRECT=False, as in the tests): there it would break every stylesheet.
    code = (
        "from django.test import Client\n"
        "print(Client(HTTP_HOST='jobs.example.org').get('/admin/login/', secure=True)['Content-Security-Policy'])\n"
    )
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    header = result.stdout.strip().splitlines()[-1]
    directives = [directive.strip() for directive in header.split(";")]
    assert "upgrade-insecure-requests" in directives
    assert "script-src 'self'" in directives
