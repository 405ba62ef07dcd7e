"""The staff admin: each recruiter sees only their organisations' rows, and offers move through the model's verbs."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import connection, models
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from offers.models import Benefit, Institution, Language, Membership, Offer, Organisation, RequiredLanguage
from tests.factories import add_member, make_group, make_institution, make_offer, make_story, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


def admin_url(model_or_row, view="changelist"):
    name = f"admin:offers_{model_or_row._meta.model_name}_{view}"
    if view in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=[model_or_row.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def make_draft(**overrides):
    return make_offer(status=Offer.Status.DRAFT, published_at=None, **overrides)


def offer_form(offer, new_places=(), **overrides):
    """What the offer's admin form posts back untouched (inlines included), plus `overrides`."""
    data = {}
    for name, value in model_to_dict(offer, exclude=["id", "status", "closed_at"]).items():
        if isinstance(Offer._meta.get_field(name), models.DateTimeField):
            local = timezone.localtime(value) if value else None
            data[f"{name}_0"] = local.date().isoformat() if local else ""
            data[f"{name}_1"] = local.time().isoformat() if local else ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    for prefix in ("places", "languages", "benefits"):
        rows = [model_to_dict(row) for row in getattr(offer, prefix).all()] if offer.pk else []
        new_rows = list(new_places) if prefix == "places" else []
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows) + len(new_rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, row in enumerate(rows + new_rows):
            data.update({f"{prefix}-{index}-{key}": "" if value is None else value for key, value in row.items()})
    data.update(overrides)
    return data


def new_offer_form(organisation, **overrides):
    offer = Offer(
        title="Attaché·e parlementaire",
        slug="attache-e-parlementaire",
        organisation=organisation,
        contract_type=Offer.ContractType.FIXED_TERM,
        missions="- Préparer les séances",
        pay_min=Decimal("2400"),
        pay_max=Decimal("2800"),
        deadline=timezone.now() + timedelta(days=20),
    )
    namur = {"kind": "seat", "locality": "Namur", "country": "BE", "position": 0}
    return offer_form(offer, new_places=[namur], **overrides)


def run_action(client, action, *offers):
    selected = [offer.pk for offer in offers]
    return client.post(admin_url(Offer), {"action": action, "_selected_action": selected, "index": 0})


# Who sees what


def test_a_recruiter_lists_only_their_own_organisations_offers(client, bob, organisation, other_organisation):
    make_offer(organisation=organisation, title="Ours")
    make_offer(organisation=other_organisation, title="Theirs")
    client.force_login(bob)
    response = client.get(admin_url(Offer))
    assert [offer.title for offer in response.context["cl"].result_list] == ["Ours"]
    assert other_organisation.name not in response.content.decode()


def test_a_superuser_lists_every_organisations_offers(client, superuser, organisation, other_organisation):
    make_offer(organisation=organisation)
    make_offer(organisation=other_organisation)
    client.force_login(superuser)
    response = client.get(admin_url(Offer))
    assert response.context["cl"].result_count == 2


def test_a_staff_user_without_membership_is_refused_the_offer_list(client):
    client.force_login(make_user("eve"))
    assert client.get(admin_url(Offer)).status_code == 403


def test_a_staff_user_without_membership_is_refused_the_institutions(client):
    client.force_login(make_user("eve"))
    assert client.get(admin_url(Institution)).status_code == 403


ROWS_OF = {
    "offer": lambda organisation: make_offer(organisation=organisation, title="Secret offer"),
    "group": lambda organisation: make_group(organisation, name="Secret group"),
    "story": lambda organisation: make_story(organisation, title="Secret story"),
    "membership": lambda organisation: add_member(make_user("dora"), organisation),
    "organisation": lambda organisation: organisation,
}


@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("kind", ROWS_OF)
def test_a_stranger_cannot_open_another_organisations_rows(client, charlie, organisation, kind, view):
    row = ROWS_OF[kind](organisation)
    client.force_login(charlie)
    response = client.get(admin_url(row, view))
    assert response.status_code in (403, 404)
    content = response.content.decode()
    assert str(row) not in content
    assert organisation.name not in content


def test_a_stranger_cannot_change_another_organisations_offer(client, charlie, organisation):
    offer = make_draft(organisation=organisation, title="Secret offer")
    client.force_login(charlie)
    response = client.post(admin_url(offer, "change"), offer_form(offer, title="Hijacked"))
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.title == "Secret offer"


def test_a_stranger_cannot_delete_another_organisations_offer(client, charlie, organisation):
    offer = make_offer(organisation=organisation)
    client.force_login(charlie)
    assert client.post(admin_url(offer, "delete"), {"post": "yes"}).status_code == 404
    assert Offer.objects.filter(pk=offer.pk).exists()


def test_a_stranger_cannot_publish_another_organisations_offer_with_an_action(client, charlie, organisation):
    offer = make_draft(organisation=organisation)
    client.force_login(charlie)
    run_action(client, "publish_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT


def test_a_recruiter_lists_only_their_own_organisation(client, bob, organisation, other_organisation):
    client.force_login(bob)
    response = client.get(admin_url(Organisation))
    assert list(response.context["cl"].result_list) == [organisation]


# Organisations, memberships, institutions, groups


def test_a_recruiter_sees_their_organisation_read_only(client, bob, organisation):
    client.force_login(bob)
    page = client.get(admin_url(organisation, "change"))
    assert page.status_code == 200
    assert 'name="presentation"' not in page.content.decode()
    assert client.post(admin_url(organisation, "change"), {"name": "Renamed"}).status_code == 403


def test_an_organisation_admin_edits_their_organisations_pages(client, alice, organisation):
    membership = Membership.objects.get(user=alice)
    data = {
        key: value
        for key, value in model_to_dict(organisation, exclude=["id", "logo", "slug", "kind", "parent"]).items()
        if value not in (None, False)
    }
    data.update(
        {
            "presentation": "Nous recrutons.",
            "memberships-TOTAL_FORMS": 1,
            "memberships-INITIAL_FORMS": 1,
            "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000,
            "memberships-0-id": membership.pk,
            "memberships-0-organisation": organisation.pk,
            "memberships-0-role": Membership.Role.ADMIN,
        }
    )
    client.force_login(alice)
    response = client.post(admin_url(organisation, "change"), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.presentation == "Nous recrutons."


def test_only_superusers_add_organisations(client, alice, superuser):
    client.force_login(alice)
    assert client.get(admin_url(Organisation, "add")).status_code == 403
    client.force_login(superuser)
    assert client.get(admin_url(Organisation, "add")).status_code == 200


def test_a_recruiter_cannot_manage_memberships(client, bob, organisation):
    client.force_login(bob)
    assert client.get(admin_url(Membership, "add")).status_code == 403


def test_an_organisation_admin_adds_a_member_by_email_address(client, alice, organisation):
    dora = make_user("dora")
    client.force_login(alice)
    data = {"user": "DORA@example.org", "organisation": organisation.pk, "role": Membership.Role.RECRUITER}
    response = client.post(admin_url(Membership, "add"), data)
    assert response.status_code == 302
    assert Membership.objects.filter(user=dora, organisation=organisation).exists()


def test_an_organisation_admin_changes_a_members_role(client, alice, bob, organisation):
    membership = Membership.objects.get(user=bob)
    client.force_login(alice)
    data = {"organisation": organisation.pk, "role": Membership.Role.ADMIN}
    assert client.post(admin_url(membership, "change"), data).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_a_recruiter_cannot_change_a_members_role(client, alice, bob):
    membership = Membership.objects.get(user=alice)
    client.force_login(bob)
    data = {"organisation": membership.organisation_id, "role": Membership.Role.RECRUITER}
    assert client.post(admin_url(membership, "change"), data).status_code == 403


def test_the_membership_form_lists_nobodys_account(client, alice, charlie):
    client.force_login(alice)
    response = client.get(admin_url(Membership, "add"))
    assert response.status_code == 200
    assert "charlie" not in response.content.decode()


def test_an_organisation_admin_cannot_add_members_to_another_organisation(client, alice, other_organisation):
    make_user("dora")
    client.force_login(alice)
    data = {"user": "dora@example.org", "organisation": other_organisation.pk, "role": Membership.Role.ADMIN}
    response = client.post(admin_url(Membership, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organisation"]
    assert not Membership.objects.filter(organisation=other_organisation, user__username="dora").exists()


def test_members_can_view_institutions_but_not_change_them(client, bob):
    institution = make_institution(name="Conseil régional")
    client.force_login(bob)
    assert client.get(admin_url(institution, "change")).status_code == 200
    assert client.post(admin_url(institution, "change"), {"name": "Renamed"}).status_code == 403
    assert client.get(admin_url(Institution, "add")).status_code == 403


def test_the_group_form_offers_own_organisations_but_any_party(client, bob, organisation, other_organisation):
    client.force_login(bob)
    response = client.get(admin_url(make_group(organisation), "change"))
    assert list(response.context["adminform"].form.fields["organisation"].queryset) == [organisation]
    [composition] = response.context["inline_admin_formsets"]
    assert other_organisation in composition.formset.forms[0].fields["party"].queryset


# The offer form


def test_the_offer_form_preselects_a_recruiters_only_organisation(client, bob, organisation):
    client.force_login(bob)
    form = client.get(admin_url(Offer, "add")).context["adminform"].form
    assert form["organisation"].value() == organisation.pk
    assert list(form.fields["organisation"].queryset) == [organisation]


def test_the_offer_form_lists_only_the_recruiters_groups(client, bob, organisation, other_organisation):
    ours, theirs = make_group(organisation), make_group(other_organisation)
    client.force_login(bob)
    form = client.get(admin_url(Offer, "add")).context["adminform"].form
    assert list(form.fields["group"].queryset) == [ours]
    assert theirs.name not in str(form["group"])


def test_an_offer_added_through_the_form_goes_live_once_published(client, alice, organisation):
    client.force_login(alice)
    response = client.post(admin_url(Offer, "add"), new_offer_form(organisation))
    assert response.status_code == 302
    offer = Offer.objects.get(slug="attache-e-parlementaire")
    assert offer.status == Offer.Status.DRAFT
    assert [place.locality for place in offer.places.all()] == ["Namur"]
    assert offer not in Offer.objects.open()
    run_action(client, "publish_offers", offer)
    assert offer in Offer.objects.open()


def test_a_recruiter_cannot_add_an_offer_for_another_organisation(client, bob, other_organisation):
    client.force_login(bob)
    response = client.post(admin_url(Offer, "add"), new_offer_form(other_organisation))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organisation"]
    assert not Offer.objects.exists()


def test_the_status_cannot_be_posted(client, bob, organisation):
    client.force_login(bob)
    client.post(admin_url(Offer, "add"), new_offer_form(organisation, status=Offer.Status.PUBLISHED))
    assert Offer.objects.get().status == Offer.Status.DRAFT


def test_a_scheduled_offer_cannot_lose_its_publication_time(client, alice, organisation):
    later = timezone.now() + timedelta(days=2)
    offer = make_offer(organisation=organisation, status=Offer.Status.SCHEDULED, published_at=later)
    client.force_login(alice)
    response = client.post(admin_url(offer, "change"), offer_form(offer, published_at_0="", published_at_1=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_at"]


def test_the_change_form_renders_an_offer_with_places_languages_and_benefits(client, bob, organisation):
    offer = make_offer(organisation=organisation, places=("Lille", "Amiens"))
    RequiredLanguage.objects.create(offer=offer, language=Language.DUTCH, level=RequiredLanguage.Level.B2)
    Benefit.objects.create(offer=offer, kind=Benefit.Kind.MEAL_VOUCHERS, detail="8 €")
    client.force_login(bob)
    response = client.get(admin_url(offer, "change"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Amiens"' in content
    assert 'name="languages-0-level"' in content
    assert 'value="8 €"' in content


def test_a_drafts_change_page_says_what_is_missing_to_publish(client, alice, organisation):
    offer = make_draft(organisation=organisation, pay_min=None, pay_max=None)
    client.force_login(alice)
    content = client.get(admin_url(offer, "change")).content.decode()
    assert "State the pay" in content
    assert 'name="_publish"' in content
    assert "Save as draft" in content
    assert reverse("offers:preview", args=[offer.pk]) in content
    assert offer.get_absolute_url() not in content


def test_a_published_offers_change_page_offers_closing_and_its_public_page(client, bob, organisation):
    offer = make_offer(organisation=organisation)
    client.force_login(bob)
    content = client.get(admin_url(offer, "change")).content.decode()
    assert 'name="_close"' in content
    assert 'name="_publish"' not in content
    assert offer.get_absolute_url() in content


def test_the_offer_list_costs_as_many_queries_for_30_offers_as_for_3(client, bob, organisation):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(admin_url(Offer)).status_code == 200
        return len(queries)

    client.force_login(bob)
    for _ in range(3):
        make_offer(organisation=organisation, group=make_group(organisation))
    client.get(admin_url(Offer))  # warm the per-process caches (content types)
    few = queries_for_the_list()
    for _ in range(27):
        make_offer(organisation=organisation, group=make_group(organisation))
    assert queries_for_the_list() == few


# Actions on the list


def test_the_publish_action_publishes_a_complete_draft(client, alice, organisation):
    offer = make_draft(organisation=organisation, title="Attaché·e")
    client.force_login(alice)
    response = run_action(client, "publish_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    assert offer in Offer.objects.open()
    assert messages_of(response) == ["“Attaché·e” is published."]


@pytest.mark.parametrize(
    "flaw, reason",
    [
        ({"pay_min": None, "pay_max": None}, "State the pay"),
        ({"pay_min": None, "pay_max": None, "pay_scale": "Salaire compétitif"}, "The pay scale is too vague"),
        ({"deadline": timezone.now() - timedelta(days=1)}, "The application deadline has passed"),
    ],
    ids=["no-pay", "vague-pay", "past-deadline"],
)
def test_the_publish_action_refuses_a_draft_that_is_not_ready(client, alice, organisation, flaw, reason):
    offer = make_draft(organisation=organisation, title="Attaché·e", **flaw)
    client.force_login(alice)
    response = run_action(client, "publish_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    [message] = messages_of(response)
    assert message.startswith("“Attaché·e” cannot be published: ")
    assert reason in message


def test_the_publish_action_leaves_a_published_offer_as_it_was(client, alice, organisation):
    offer = make_offer(organisation=organisation)
    published_at = offer.published_at
    client.force_login(alice)
    response = run_action(client, "publish_offers", offer)
    offer.refresh_from_db()
    assert offer.published_at == published_at
    assert "cannot be published" in messages_of(response)[0]


def test_the_close_action_closes_a_published_offer(client, bob, organisation):
    offer = make_offer(organisation=organisation)
    client.force_login(bob)
    run_action(client, "close_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.CLOSED
    assert offer.closed_at is not None
    assert offer not in Offer.objects.open()


def test_the_close_action_refuses_a_draft(client, bob, organisation):
    offer = make_draft(organisation=organisation, title="Attaché·e")
    client.force_login(bob)
    response = run_action(client, "close_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    assert messages_of(response)[0].startswith("“Attaché·e” cannot be closed: ")


def test_the_reopen_action_reopens_a_closed_offer(client, bob, organisation):
    offer = make_offer(organisation=organisation, status=Offer.Status.CLOSED, closed_at=timezone.now())
    client.force_login(bob)
    run_action(client, "reopen_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    assert offer in Offer.objects.open()


def test_the_reopen_action_refuses_an_offer_past_its_deadline(client, bob, organisation):
    offer = make_offer(
        organisation=organisation, status=Offer.Status.CLOSED, deadline=timezone.now() - timedelta(days=1)
    )
    client.force_login(bob)
    response = run_action(client, "reopen_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.CLOSED
    assert "Move the deadline into the future" in messages_of(response)[0]


def test_the_archive_action_takes_an_offer_off_the_site(client, bob, organisation):
    offer = make_offer(organisation=organisation)
    client.force_login(bob)
    run_action(client, "archive_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ARCHIVED
    assert offer not in Offer.objects.published()


def test_the_duplicate_action_copies_an_offer_as_a_new_draft(client, bob, organisation):
    offer = make_offer(organisation=organisation, places=("Lille", "Amiens"))
    RequiredLanguage.objects.create(offer=offer, language=Language.DUTCH, level=RequiredLanguage.Level.B2)
    Benefit.objects.create(offer=offer, kind=Benefit.Kind.MEAL_VOUCHERS)
    client.force_login(bob)
    run_action(client, "duplicate_offers", offer)
    copy = Offer.objects.exclude(pk=offer.pk).get()
    assert copy.status == Offer.Status.DRAFT
    assert copy.slug != offer.slug
    assert [place.locality for place in copy.places.all()] == ["Lille", "Amiens"]
    assert copy.languages.get().language == Language.DUTCH
    assert copy.benefits.get().kind == Benefit.Kind.MEAL_VOUCHERS


# Buttons of the change form


def test_save_and_publish_with_a_future_time_schedules_the_offer(client, alice, organisation):
    offer = make_draft(organisation=organisation)
    later = timezone.localtime() + timedelta(days=3)
    data = offer_form(offer, published_at_0=later.date().isoformat(), published_at_1="09:00:00", _publish="1")
    client.force_login(alice)
    response = client.post(admin_url(offer, "change"), data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SCHEDULED
    assert timezone.localtime(offer.published_at).date() == later.date()
    assert offer not in Offer.objects.published()


def test_save_and_publish_without_a_time_publishes_at_once(client, alice, organisation):
    offer = make_draft(organisation=organisation)
    client.force_login(alice)
    client.post(admin_url(offer, "change"), offer_form(offer, _publish="1"))
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    assert offer in Offer.objects.open()


def test_save_and_publish_keeps_the_changes_and_says_what_is_missing(client, alice, organisation):
    offer = make_draft(organisation=organisation, title="Attaché·e")
    data = offer_form(offer, title="Attaché·e de presse", pay_min="", pay_max="", _publish="1")
    client.force_login(alice)
    response = client.post(admin_url(offer, "change"), data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Attaché·e de presse"
    assert offer.status == Offer.Status.DRAFT
    assert any(m.startswith("“Attaché·e de presse” cannot be published: State the pay") for m in messages_of(response))


def test_save_and_publish_on_the_add_form_publishes_the_new_offer(client, alice, organisation):
    client.force_login(alice)
    client.post(admin_url(Offer, "add"), new_offer_form(organisation, _publish="1"))
    assert Offer.objects.get() in Offer.objects.open()


def test_the_close_button_closes_the_offer_and_leads_to_answering_those_still_waiting(client, bob, organisation):
    offer = make_offer(organisation=organisation)
    client.force_login(bob)
    response = client.post(admin_url(offer, "change"), offer_form(offer, _close="1"))
    assert response.url == reverse("admin:applications_application_answer_waiting", args=[offer.pk])
    offer.refresh_from_db()
    assert offer.status == Offer.Status.CLOSED


def test_after_closing_an_offer_nobody_waits_for_the_answer_page_returns_to_the_offer(client, bob, organisation):
    offer = make_offer(organisation=organisation, title="Attaché·e")
    client.force_login(bob)
    response = client.post(admin_url(offer, "change"), offer_form(offer, _close="1"), follow=True)
    assert response.redirect_chain[-1][0] == admin_url(offer, "change")
    assert "Nobody is waiting for an answer on “Attaché·e”." in messages_of(response)


def test_the_close_action_links_to_answering_those_still_waiting(client, bob, organisation):
    offer = make_offer(organisation=organisation, title="Attaché·e")
    client.force_login(bob)
    response = run_action(client, "close_offers", offer)
    link = reverse("admin:applications_application_answer_waiting", args=[offer.pk])
    assert f'<a href="{link}">Answer everyone still waiting on “Attaché·e”</a>' in messages_of(response)


def test_a_refused_close_leads_nowhere_else(client, bob, organisation):
    offer = make_draft(organisation=organisation)
    client.force_login(bob)
    response = client.post(admin_url(offer, "change"), offer_form(offer, _close="1"))
    assert response.url == admin_url(offer, "change")


# Publishing by role: recruiters prepare, organisation admins publish


def test_a_recruiter_cannot_publish_with_the_action(client, bob, organisation):
    offer = make_draft(organisation=organisation, title="Attaché·e")
    client.force_login(bob)
    response = run_action(client, "publish_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    assert messages_of(response) == ["“Attaché·e” was not published: an organisation admin of Ecolo publishes offers."]


def test_a_recruiter_is_offered_saving_the_draft_but_not_publishing_it(client, bob, organisation):
    offer = make_draft(organisation=organisation)
    client.force_login(bob)
    content = client.get(admin_url(offer, "change")).content.decode()
    assert "Save as draft" in content
    assert 'name="_publish"' not in content
    assert 'name="_publish"' not in client.get(admin_url(Offer, "add")).content.decode()


def test_a_recruiter_saves_a_draft_but_save_and_publish_does_not_publish_it(client, bob, organisation):
    offer = make_draft(organisation=organisation, title="Attaché·e")
    client.force_login(bob)
    response = client.post(admin_url(offer, "change"), offer_form(offer, title="Attaché·e de presse", _publish="1"))
    offer.refresh_from_db()
    assert offer.title == "Attaché·e de presse"
    assert offer.status == Offer.Status.DRAFT
    assert any("was not published: an organisation admin" in message for message in messages_of(response))


def test_a_recruiter_adds_a_draft(client, bob, organisation):
    client.force_login(bob)
    assert client.post(admin_url(Offer, "add"), new_offer_form(organisation)).status_code == 302
    assert Offer.objects.get().status == Offer.Status.DRAFT


def test_a_recruiter_cannot_move_a_scheduled_publication(client, bob, organisation):
    later = timezone.now() + timedelta(days=2)
    offer = make_offer(organisation=organisation, status=Offer.Status.SCHEDULED, published_at=later)
    now = timezone.localtime()
    client.force_login(bob)
    data = offer_form(offer, published_at_0=now.date().isoformat(), published_at_1=now.time().isoformat())
    client.post(admin_url(offer, "change"), data)
    offer.refresh_from_db()
    assert offer.published_at == later


def test_an_organisation_admin_sees_save_and_publish(client, alice, organisation):
    client.force_login(alice)
    assert 'name="_publish"' in client.get(admin_url(make_draft(organisation=organisation), "change")).content.decode()
    assert 'name="_publish"' in client.get(admin_url(Offer, "add")).content.decode()


def test_a_recruiter_publishes_where_the_organisation_lets_recruiters_publish(client, bob, organisation):
    organisation.recruiters_can_publish = True
    organisation.save()
    offer = make_draft(organisation=organisation)
    client.force_login(bob)
    assert 'name="_publish"' in client.get(admin_url(offer, "change")).content.decode()
    run_action(client, "publish_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED


def test_the_rule_applies_per_organisation(client, bob, organisation, other_organisation):
    other_organisation.recruiters_can_publish = True
    other_organisation.save()
    add_member(bob, other_organisation)
    ours, theirs = make_draft(organisation=organisation), make_draft(organisation=other_organisation)
    client.force_login(bob)
    run_action(client, "publish_offers", ours, theirs)
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, theirs.status) == (Offer.Status.DRAFT, Offer.Status.PUBLISHED)


def test_a_superuser_publishes_anywhere(client, superuser, organisation):
    offer = make_draft(organisation=organisation)
    client.force_login(superuser)
    run_action(client, "publish_offers", offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED


def test_the_reopen_button_saves_the_new_deadline_then_reopens(client, bob, organisation):
    offer = make_offer(
        organisation=organisation, status=Offer.Status.CLOSED, deadline=timezone.now() - timedelta(days=1)
    )
    later = timezone.localtime() + timedelta(days=10)
    data = offer_form(offer, deadline_0=later.date().isoformat(), deadline_1="12:00:00", _reopen="1")
    client.force_login(bob)
    client.post(admin_url(offer, "change"), data)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED


def test_the_duplicate_button_opens_the_new_draft(client, bob, organisation):
    offer = make_offer(organisation=organisation)
    client.force_login(bob)
    response = client.post(admin_url(offer, "change"), offer_form(offer, _duplicate="1"))
    copy = Offer.objects.exclude(pk=offer.pk).get()
    assert copy.status == Offer.Status.DRAFT
    assert response.url == admin_url(copy, "change")


def test_the_view_on_site_shortcut_reveals_no_other_organisations_draft(client, charlie, organisation):
    draft = make_draft(organisation=organisation)
    client.force_login(charlie)
    content_type = ContentType.objects.get_for_model(Offer)
    response = client.get(f"/admin/r/{content_type.pk}/{draft.pk}/")
    assert response.status_code == 404
    assert draft.slug not in response.get("Location", "")


def test_publishing_a_live_offer_again_is_refused_and_keeps_its_publication_time(client, alice, organisation):
    offer = make_offer(organisation=organisation)
    published_at = offer.published_at
    client.force_login(alice)
    response = client.post(admin_url(Offer), {"action": "publish_offers", "_selected_action": [offer.pk]}, follow=True)
    assert any("cannot be published" in message for message in messages_of(response))
    offer.refresh_from_db()
    assert offer.published_at == published_at


def test_an_offer_names_its_recruiters_in_charge_among_the_organisations_members(client, alice, bob, charlie):
    offer = make_draft(organisation=alice.memberships.get().organisation)
    client.force_login(alice)
    page = client.get(admin_url(offer, "change")).content.decode()
    menu = re.search(r'<select[^>]*name="recruiters".*?</select>', page, re.DOTALL).group(0)
    assert f'value="{bob.pk}"' in menu
    assert f'value="{charlie.pk}"' not in menu  # another organisation's recruiter is not offered

    response = client.post(admin_url(offer, "change"), offer_form(offer, recruiters=[bob.pk]))
    assert response.status_code == 302
    assert list(offer.recruiters.all()) == [bob]


def test_a_recruiter_of_another_organisation_cannot_be_put_in_charge(superuser, client, alice, charlie):
    offer = make_draft(organisation=alice.memberships.get().organisation)
    client.force_login(superuser)
    response = client.post(admin_url(offer, "change"), offer_form(offer, recruiters=[charlie.pk]))
    assert response.status_code == 200
    assert "recruiters" in response.context["adminform"].form.errors
    assert not offer.recruiters.exists()
