import pytest
from django.conf import settings
from django.core.cache import cache
from django.template import Context
from django.template.backends.jinja2 import Template as Jinja2Template
from django.test.signals import template_rendered
from django.urls import clear_url_caches
from django.utils import translation

from offers.models import Membership
from tests.factories import add_member, make_organisation, make_user

# s3_server, s3_storage, each_private_storage…: a real S3-compatible server for the tests of the bucket.
pytest_plugins = ["tests.s3_server"]


@pytest.fixture(autouse=True, scope="session")
def jinja2_pages_in_test_responses():
    """The test client reads a response's templates and context from the template_rendered signal,
    which Django sends for its own engine's templates only (setup_test_environment): sent for the
    public pages' Jinja2 templates too, `response.context` and `assertTemplateUsed` work on them."""
    render = Jinja2Template.render

    def instrumented_render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self.template, context=Context(context))
        return render(self, context, request)

    Jinja2Template.render = instrumented_render
    yield
    Jinja2Template.render = render


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Users are made in most tests; the real hasher costs a quarter of a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    # A request to /nl/… leaves Dutch active in the thread, and a test that changes
    # LANGUAGE_CODE leaves language prefixes cached in the URL resolver: each
    # test starts in French with fresh URL caches.
    clear_url_caches()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    clear_url_caches()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    # Pages cached for anonymous visitors and rate-limit counters never outlive a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_in_a_temporary_directory(settings, tmp_path):
    # Uploads made by tests never land in the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def no_malware_scanner(settings):
    # As on a newcomer's machine (`make run`): no clamd, none required, documents downloadable as
    # "not scanned". The scanning tests start a clamd of their own (tests/clamd_server.py).
    settings.CLAMAV_SOCKET = settings.CLAMAV_HOST = ""
    settings.CLAMAV_REQUIRED = False


@pytest.fixture
def english_admin(settings):
    """For tests that read the admin's English msgids and render it without a collectstatic run."""
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def organisation(db):
    return make_organisation(name="Ecolo", slug="ecolo")


@pytest.fixture
def other_organisation(db):
    return make_organisation(name="Les Engagés", slug="les-engages")


@pytest.fixture
def alice(organisation):
    """Organisation admin of `organisation`."""
    user = make_user("alice")
    add_member(user, organisation, Membership.Role.ADMIN)
    return user


@pytest.fixture
def bob(organisation):
    """Recruiter of `organisation`."""
    user = make_user("bob")
    add_member(user, organisation)
    return user


@pytest.fixture
def charlie(other_organisation):
    """Recruiter of another organisation: a stranger to `organisation`'s data."""
    user = make_user("charlie")
    add_member(user, other_organisation)
    return user


@pytest.fixture
def superuser(db):
    return make_user("root", superuser=True)
