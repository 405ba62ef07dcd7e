"""What gunicorn's master does before its workers fork (jobboard.warmup, gunicorn.conf.py)."""

import pytest
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.base import Parser
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment

from jobboard.warmup import warm_up
from tests.factories import make_offer

pytestmark = pytest.mark.django_db


def test_after_the_warm_up_the_public_pages_compile_no_template(client, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 0
    offer = make_offer()
    # As in a process that has served nothing: no template compiled, by either engine.
    for engine in (engines["django"], get_default_renderer().engine):
        engine.engine.template_loaders[0].reset()
    engines["jinja2"].env.cache.clear()
    warm_up()

    def compile_again(*args, **kwargs):
        raise AssertionError("a template compiled at a request")

    monkeypatch.setattr(Parser, "parse", compile_again)
    monkeypatch.setattr(Environment, "compile", compile_again)
    for language in ("fr", "nl", "en"):
        with translation.override(language):
            pages = [reverse("offers:home"), reverse("offers:list"), offer.get_absolute_url()]
        for page in pages:
            assert client.get(page).status_code == 200


def test_gunicorn_warms_up_only_a_site_loaded_in_its_master(monkeypatch):
    import runpy

    warmed = []
    monkeypatch.setattr("jobboard.warmup.warm_up", lambda: warmed.append(True))
    when_ready = runpy.run_path("gunicorn.conf.py")["when_ready"]

    class Server:
        class cfg:
            preload_app = False

    when_ready(Server)
    assert warmed == []
    Server.cfg.preload_app = True
    when_ready(Server)
    assert warmed == [True]
