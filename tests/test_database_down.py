"""When the database does not answer, visitors get a 503 to retry, not a 500."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from offers import views

pytestmark = pytest.mark.django_db


def failing_with(exception):
    def fail(*args, **kwargs):
        raise exception

    return fail


def test_a_database_that_does_not_answer_is_a_503_to_retry(monkeypatch):
    monkeypatch.setattr(views, "OfferFilter", failing_with(OperationalError("server closed the connection")))

    response = Client(raise_request_exception=False).get(reverse("offers:list"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "momentanément indisponible" in response.content.decode()
    assert "ne sera pas enregistrée deux fois" in response.content.decode()


def test_any_other_failure_is_still_a_500(monkeypatch):
    monkeypatch.setattr(views, "OfferFilter", failing_with(ValueError("a bug")))

    response = Client(raise_request_exception=False).get(reverse("offers:list"))

    assert response.status_code == 500
    assert "Retry-After" not in response
