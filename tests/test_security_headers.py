import pytest

pytestmark = pytest.mark.django_db


def test_pages_refuse_framing_sniffing_referrers_and_unused_browser_features(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
