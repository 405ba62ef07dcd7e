from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from offers.models import Benefit, Offer, RequiredLanguage, choice_label
from tests.factories import make_group, make_offer, make_organisation

pytestmark = pytest.mark.django_db


def draft(**overrides):
    return make_offer(status=Offer.Status.DRAFT, published_at=None, **overrides)


def test_publishing_a_complete_draft_makes_it_public():
    offer = draft()
    offer.publish()
    assert offer.status == Offer.Status.PUBLISHED
    assert offer in Offer.objects.open()


def test_publishing_at_a_future_time_schedules_it():
    offer = draft()
    offer.publish(at=timezone.now() + timedelta(days=2))
    assert offer.status == Offer.Status.SCHEDULED
    assert offer not in Offer.objects.published()


def test_an_offer_without_pay_cannot_be_published():
    offer = draft(pay_min=None, pay_max=None)
    with pytest.raises(ValidationError, match="rémunération"):
        offer.publish()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT


def test_a_pay_scale_alone_is_pay_enough_to_publish():
    offer = draft(pay_min=None, pay_max=None, pay_scale="Barèmes de la Chambre des représentants")
    offer.publish()
    assert offer.status == Offer.Status.PUBLISHED


@pytest.mark.parametrize("vague", ["Salaire compétitif", "Rémunération selon profil", "Competitive salary"])
def test_vague_wording_is_refused_in_place_of_pay(vague):
    offer = draft(pay_min=None, pay_max=None, pay_scale=vague)
    with pytest.raises(ValidationError) as raised:
        offer.full_clean()
    assert "pay_scale" in raised.value.message_dict
    with pytest.raises(ValidationError):
        offer.publish()


def test_an_offer_past_its_deadline_cannot_be_published():
    offer = draft(deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="date limite"):
        offer.publish()


def test_an_offer_needs_a_place_to_be_published():
    offer = draft(places=())
    assert any("lieu de travail" in str(problem) for problem in offer.publication_problems())


def test_the_database_refuses_a_pay_range_upside_down():
    with pytest.raises(IntegrityError):
        make_offer(pay_min=Decimal("3000"), pay_max=Decimal("2000"))


def test_clean_explains_a_pay_range_upside_down():
    offer = Offer(pay_min=Decimal("3000"), pay_max=Decimal("2000"))
    with pytest.raises(ValidationError) as raised:
        offer.clean()
    assert "pay_max" in raised.value.message_dict


def test_part_time_needs_its_share():
    offer = Offer(working_time=Offer.WorkingTime.PART_TIME)
    with pytest.raises(ValidationError) as raised:
        offer.clean()
    assert "working_time_percent" in raised.value.message_dict


def test_a_group_of_another_organisation_is_refused():
    group = make_group(make_organisation())
    offer = Offer(organisation=make_organisation(), group=group)
    with pytest.raises(ValidationError) as raised:
        offer.clean()
    assert "group" in raised.value.message_dict


def test_closing_and_reopening():
    offer = make_offer()
    offer.close()
    assert offer not in Offer.objects.open()
    offer.reopen()
    assert offer in Offer.objects.open()


def test_reopening_needs_a_deadline_ahead():
    offer = make_offer(status=Offer.Status.CLOSED, deadline=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError):
        offer.reopen()


def test_duplicate_is_a_draft_with_the_same_places_languages_and_benefits():
    offer = make_offer(places=("Lille", "Amiens"))
    RequiredLanguage.objects.create(offer=offer, language="nl", level=RequiredLanguage.Level.B2)
    Benefit.objects.create(offer=offer, kind=Benefit.Kind.MEAL_VOUCHERS, detail="8 €")
    copy = offer.duplicate()
    assert copy.pk != offer.pk and copy.slug != offer.slug
    assert copy.status == Offer.Status.DRAFT and copy.published_at is None
    assert copy.places_display() == "Lille / Amiens"
    assert [str(language) for language in copy.languages.all()] == [str(offer.languages.get())]
    assert copy.benefits.get().detail == "8 €"
    assert offer.places.count() == 2


def test_a_script_in_a_section_never_reaches_the_page():
    offer = make_offer(missions="Hello <script>alert(1)</script> **world** [x](javascript:alert(1))")
    _heading, html = offer.sections()[0]
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<strong>world</strong>" in html


def test_pay_summary_reads_like_a_posting():
    offer = make_offer(pay_min=Decimal("2400"), pay_max=Decimal("2600"), pay_basis=Offer.PayBasis.NET)
    assert offer.pay_summary().replace("\xa0", " ") == "2 400 – 2 600 € net par mois"


def test_a_stipend_with_one_amount_shows_it_once():
    offer = make_offer(contract_type=Offer.ContractType.INTERNSHIP, pay_min=Decimal("600"), pay_max=Decimal("600"))
    assert offer.pay_summary().replace("\xa0", " ") == "600 € brut par mois"


def test_a_contract_ending_with_the_legislature_names_the_year():
    organisation = make_organisation()
    group = make_group(organisation)
    group.institution.term_ends_year = 2029
    group.institution.save()
    offer = make_offer(organisation=organisation, group=group, ends_with_term=True)
    assert "2029" in offer.end_display()


def test_choice_label_says_what_get_display_says():
    benefit = Benefit(kind=Benefit.Kind.MEAL_VOUCHERS)
    for language in ("fr", "nl", "en"):
        with translation.override(language):
            assert choice_label(Benefit.Kind, benefit.kind) == benefit.get_kind_display()
    assert (
        choice_label(Benefit.Kind, "retired_kind") == Benefit(kind="retired_kind").get_kind_display() == "retired_kind"
    )
