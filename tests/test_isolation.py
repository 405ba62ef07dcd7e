"""No recruiter sees, lists, downloads or exports anything of another organisation.

One matrix over every admin URL of our apps: the standard pages of each
registered model, every custom URL of their admins, every action, the
autocomplete of every relation, and the dashboard on the admin's index.
Charlie, a recruiter of another organisation, tries them on rows of alice's
organisation, all of which carry SECRET in their name: he gets a 403, a 404
or a 405, or a page without SECRET, and nothing changes. A model registered
without a factory below fails the matrix, so a new admin joins it by adding
one line.
"""

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse

from applications.models import Application, AuditEvent, Email, MessageTemplate, StatusChange
from offers.models import Institution, Membership, Offer, Organisation, PoliticalGroup, Story
from tests.factories import (
    add_document,
    add_member,
    make_application,
    make_group,
    make_institution,
    make_offer,
    make_story,
    make_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

OUR_APPS = ("offers", "applications")
SECRET = "Zorglub"
STANDARD_VIEWS = ("changelist", "add", "change", "delete", "history")
REFUSED = (403, 404, 405)


def zorglub_organisation(organisation):
    # Its name is public (it has a page, and any group may list it as a party); its own settings are not.
    organisation.applications_email = f"{SECRET.lower()}-jobs@example.org"
    organisation.save()
    return organisation


def zorglub_application(organisation):
    application = make_application(
        make_offer(organisation=organisation, title=f"{SECRET} offer"),
        first_name=SECRET,
        last_name=SECRET,
        email=f"{SECRET.lower()}@example.org",
    )
    add_document(application, original_name=f"CV {SECRET}.pdf")
    return application


# How to make a row of alice's organisation for each registered model; its text contains SECRET.
FACTORIES = {
    Organisation: zorglub_organisation,
    Membership: lambda organisation: add_member(make_user(f"{SECRET.lower()}-dora"), organisation),
    PoliticalGroup: lambda organisation: make_group(organisation, name=f"{SECRET} group"),
    Story: lambda organisation: make_story(organisation, title=f"{SECRET} story"),
    Offer: lambda organisation: make_offer(organisation=organisation, title=f"{SECRET} offer"),
    Application: zorglub_application,
    MessageTemplate: lambda organisation: MessageTemplate.objects.create(
        organisation=organisation, name=f"{SECRET} template", subject=f"{SECRET} subject", body=SECRET
    ),
    Email: lambda organisation: Email.objects.create(
        kind=Email.Kind.MESSAGE,
        application=zorglub_application(organisation),
        to=f"{SECRET.lower()}@example.org",
        subject=f"{SECRET} subject",
        body=SECRET,
    ),
    AuditEvent: lambda organisation: AuditEvent.record(
        AuditEvent.Action.DOWNLOAD,
        organisation,
        application=zorglub_application(organisation),
        detail=f"{SECRET} detail",
    ),
}
# Read by organisation admins only, changed by nobody: charlie tries them as an admin of his own organisation.
ADMINS_ONLY = {AuditEvent}
# Shared by every organisation: members read them, only superusers change them.
SHARED = {Institution: lambda: make_institution(name="Conseil")}

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in OUR_APPS), key=lambda m: m._meta.label
)


def custom_urls():
    """(model, URL name, its arguments) for every URL an admin of our apps adds to the standard ones."""
    for model in REGISTERED:
        opts = model._meta
        standard = {f"{opts.app_label}_{opts.model_name}_{view}" for view in STANDARD_VIEWS}
        for pattern in admin.site._registry[model].get_urls():
            if pattern.name and pattern.name not in standard:
                yield pytest.param(model, pattern.name, sorted(pattern.pattern.converters), id=pattern.name)


def relations():
    """(model, field) for every relation of our apps' models to a model the admin registers."""
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                remote = field.related_model
                if (
                    field.is_relation
                    and not field.auto_created
                    and admin.site.is_registered(remote)
                    and remote not in SHARED
                ):
                    yield pytest.param(model, field.name, id=f"{model._meta.label}.{field.name}")


@pytest.fixture
def row_of(organisation, alice):
    def make(model):
        if model not in FACTORIES:
            pytest.fail(f"{model._meta.label} is registered in the admin without a factory in tests/test_isolation.py")
        return FACTORIES[model](organisation)

    return make


def as_admin_at_home_for(model, charlie):
    if model in ADMINS_ONLY:
        charlie.memberships.update(role=Membership.Role.ADMIN)


@pytest.fixture
def charlies_client(client, charlie):
    # Charlie has rows of his own, so his pages are not empty by chance.
    own = charlie.memberships.get().organisation
    make_application(make_offer(organisation=own, title="Charlie's offer"))
    client.force_login(charlie)
    return client


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_reveals_nothing(response):
    assert response.status_code in (200, 302, *REFUSED), response.status_code
    content = content_of(response)
    found = content.lower().find(SECRET.lower().encode())
    assert found == -1, content[max(found - 300, 0) : found + 60].decode(errors="replace")
    if response.status_code == 302:
        assert SECRET.lower() not in response["Location"].lower()


def snapshot(row):
    """What a stranger must not be able to change: the row, and what hangs off applications."""
    model = type(row)
    if not model.objects.filter(pk=row.pk).exists():
        return None
    return (
        model_to_dict(model.objects.get(pk=row.pk)),
        StatusChange.objects.count(),
        Email.objects.count(),
        Application.objects.filter(erased_at__isnull=False).count(),
        AuditEvent.objects.count(),
    )


def admin_url(model, view, row=None):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=[row.pk] if view in ("change", "delete", "history") else [])


def test_every_registered_model_of_our_apps_has_a_factory_or_is_shared():
    missing = [model._meta.label for model in REGISTERED if model not in FACTORIES and model not in SHARED]
    assert not missing, f"add a factory to FACTORIES in tests/test_isolation.py for {missing}"


@pytest.mark.parametrize("view", STANDARD_VIEWS)
@pytest.mark.parametrize("model", [m for m in REGISTERED if m not in SHARED], ids=lambda m: m._meta.label)
def test_a_stranger_reads_nothing_on_the_standard_pages(charlies_client, charlie, row_of, model, view):
    as_admin_at_home_for(model, charlie)
    row = row_of(model)
    assert_reveals_nothing(charlies_client.get(admin_url(model, view, row)))
    if view == "changelist":
        # The page repeats the search term; what matters is that nothing matches it.
        response = charlies_client.get(admin_url(model, view), {"q": SECRET[:4], "_facets": "1"})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0
    if view in ("change", "delete"):
        assert charlies_client.get(admin_url(model, view, row)).status_code in REFUSED


@pytest.mark.parametrize("view", ["add", "change", "delete"])
@pytest.mark.parametrize("model", [m for m in REGISTERED if m not in SHARED], ids=lambda m: m._meta.label)
def test_a_stranger_changes_nothing_with_the_standard_pages(charlies_client, charlie, row_of, model, view):
    as_admin_at_home_for(model, charlie)
    row = row_of(model)
    before = snapshot(row)
    data = {"post": "yes", "organisation": row_of(Organisation).pk, "name": "Hijacked", "title": "Hijacked"}
    response = charlies_client.post(admin_url(model, view, row), data)
    assert_reveals_nothing(response)
    if view != "add":
        assert response.status_code in REFUSED
    assert snapshot(row) == before


@pytest.mark.parametrize("model", [m for m in REGISTERED if m not in SHARED], ids=lambda m: m._meta.label)
def test_a_stranger_changes_nothing_with_any_action(charlies_client, charlie, row_of, superuser, model):
    as_admin_at_home_for(model, charlie)
    row = row_of(model)
    before = snapshot(row)
    request = RequestFactory().get("/")
    request.user = superuser
    actions = admin.site._registry[model].get_actions(request)
    # The audit log has none: nothing may be done to it.
    assert actions or model is AuditEvent, f"{model._meta.label} has no actions to try"
    for action in actions:
        data = {"action": action, "_selected_action": [row.pk]}
        response = charlies_client.post(admin_url(model, "changelist"), data)
        assert_reveals_nothing(response)
        assert snapshot(row) == before, action


@pytest.mark.parametrize("model, name, arguments", list(custom_urls()))
def test_a_stranger_reads_and_changes_nothing_through_custom_urls(charlies_client, row_of, model, name, arguments):
    application = row_of(Application)
    values = {
        "object_id": row_of(model).pk if model is not Application else application.pk,
        "document_id": application.documents.get().pk,
        "offer_id": application.offer_id,
    }
    unknown = set(arguments) - set(values)
    assert not unknown, f"teach tests/test_isolation.py what to pass as {unknown} to {name}"
    url = reverse(f"admin:{name}", kwargs={argument: values[argument] for argument in arguments})
    before = snapshot(application)
    assert_reveals_nothing(charlies_client.get(url, {"ids": application.pk}))
    harmful = {
        "ids": [application.pk],
        "status": Application.Status.HIRED,
        "note": "hijack",
        "subject_fr": "hijack",
        "body_fr": "hijack",
        "reject": "on",
        "_send": "1",
    }
    assert_reveals_nothing(charlies_client.post(url, harmful))
    assert snapshot(application) == before


@pytest.mark.parametrize("model, field_name", list(relations()))
def test_the_autocomplete_offers_a_stranger_none_of_another_organisations_rows(
    charlies_client, row_of, alice, model, field_name
):
    remote = model._meta.get_field(field_name).related_model
    row = alice if remote is get_user_model() else row_of(remote)
    params = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name}
    # Part of the secret only: a 404 page repeats the address it was asked for.
    for term in ("", SECRET[:4], str(row.pk)):
        response = charlies_client.get("/admin/autocomplete/", {**params, "term": term})
        assert_reveals_nothing(response)
        if response.status_code == 200:
            ids = {result["id"] for result in json.loads(response.content)["results"]}
            assert str(row.pk) not in ids


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_a_staff_user_without_membership_is_refused_every_list(client, model):
    client.force_login(make_user("eve"))
    assert client.get(admin_url(model, "changelist")).status_code == 403


@pytest.mark.parametrize("model, name, arguments", list(custom_urls()))
def test_a_staff_user_without_membership_is_refused_every_custom_url(client, row_of, model, name, arguments):
    application = row_of(Application)
    values = {
        "object_id": application.pk,
        "document_id": application.documents.get().pk,
        "offer_id": application.offer_id,
    }
    client.force_login(make_user("eve"))
    url = reverse(f"admin:{name}", kwargs={argument: values[argument] for argument in arguments})
    response = client.get(url, {"ids": application.pk})
    assert response.status_code in REFUSED
    assert SECRET.lower().encode() not in content_of(response).lower()


@pytest.mark.parametrize("model", sorted(SHARED, key=lambda m: m._meta.label), ids=lambda m: m._meta.label)
def test_shared_reference_data_is_read_only_for_recruiters(charlies_client, model):
    row = SHARED[model]()
    before = snapshot(row)
    assert charlies_client.post(admin_url(model, "change", row), {"name": "Hijacked"}).status_code == 403
    assert charlies_client.post(admin_url(model, "delete", row), {"post": "yes"}).status_code == 403
    assert snapshot(row) == before


def test_the_superuser_sees_every_organisations_applications(client, superuser, row_of):
    application = row_of(Application)
    client.force_login(superuser)
    assert SECRET in client.get(admin_url(Application, "change", application)).content.decode()


# The dashboard on the admin's index, routed by jobboard/urls.py ahead of the admin's own URLs.


@pytest.fixture
def every_row(row_of, organisation):
    """A row of each model in alice's organisation, and a closed offer for the dashboard's funnel."""
    for model in FACTORIES:
        row_of(model)
    closed = make_offer(organisation=organisation, title=f"{SECRET} closed offer", status=Offer.Status.CLOSED)
    make_application(closed, first_name=SECRET).move_to(Application.Status.HIRED)


def test_a_strangers_dashboard_shows_nothing_of_another_organisation(charlies_client, every_row):
    response = charlies_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["dashboard"]["open_offers"]["rows"]  # his own offer: the dashboard is there
    assert_reveals_nothing(response)


@pytest.mark.parametrize("choice", ["alices", "all"])
def test_a_stranger_cannot_open_another_organisations_dashboard(charlies_client, every_row, organisation, choice):
    slug = organisation.slug if choice == "alices" else "all"
    response = charlies_client.get(reverse("admin:index"), {"organisation": slug})
    assert response.status_code == 404
    assert_reveals_nothing(response)


def test_a_staff_user_without_membership_gets_no_dashboard(client, every_row, organisation):
    client.force_login(make_user("eve"))
    for params in ({}, {"organisation": organisation.slug}, {"organisation": "all"}):
        response = client.get(reverse("admin:index"), params)
        assert response.status_code == 200
        assert "dashboard" not in response.context
        assert_reveals_nothing(response)
