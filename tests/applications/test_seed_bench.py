"""seed_bench fills a benchmark database; here at a small size, with the same rules as the full one."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from applications.management.commands.seed_bench import Command as SeedBench
from applications.models import Application, Document, StatusChange
from offers.models import (
    Benefit,
    Country,
    GroupComposition,
    Institution,
    Membership,
    Offer,
    Organisation,
    Place,
    PoliticalGroup,
    RequiredLanguage,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

SIZE = {"offers": 60, "applications": 400}
CHANGELIST = reverse("admin:applications_application_changelist")


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_bench", **{**SIZE, **options}, stdout=out)
    return out.getvalue()


def everything() -> dict:
    models = [Organisation, Institution, PoliticalGroup, GroupComposition, get_user_model(), Membership, Offer]
    return {
        model.__name__: model.objects.count()
        for model in [*models, Place, RequiredLanguage, Benefit, Application, StatusChange, Document]
    }


def log_in(client, password="bench-password"):
    return client.post("/admin/login/", {"username": "bench-recruiter", "password": password, "next": "/admin/"})


def test_it_makes_the_offers_and_applications_asked_for_and_says_what_it_made():
    out = seed()

    assert Offer.objects.count() == 60
    assert Application.objects.count() == 400
    assert "Offer: 60" in out
    assert "Application: 400" in out
    assert 200 <= Organisation.objects.count() <= 300


def test_bench_big_gets_a_tenth_of_a_small_run():
    seed()

    assert Application.objects.filter(organisation__slug="bench-big").count() == 40


def test_the_offers_cover_every_contract_status_working_time_and_language():
    seed()

    offers = Offer.objects.all()
    assert set(offers.values_list("contract_type", flat=True)) == set(Offer.ContractType)
    assert set(offers.values_list("status", flat=True)) == set(Offer.Status)
    assert set(offers.values_list("working_time", flat=True)) == set(Offer.WorkingTime)
    assert set(offers.values_list("language", flat=True)) == {"fr", "nl", "en"}
    assert offers.filter(group__isnull=True).exists() and offers.filter(group__isnull=False).exists()
    assert offers.open().exists()
    assert offers.filter(status=Offer.Status.PUBLISHED).exclude(pk__in=offers.open()).exists()  # past its deadline
    assert set(Institution.objects.values_list("level", flat=True)) == set(Institution.Level)
    assert {Country.BELGIUM, Country.FRANCE} <= set(Organisation.objects.values_list("country", flat=True))
    assert set(Organisation.objects.values_list("kind", flat=True)) >= {
        Organisation.Kind.PARTY, Organisation.Kind.YOUTH_WING, Organisation.Kind.FOUNDATION,
        Organisation.Kind.POLITICAL_GROUP,
    }  # fmt: skip
    assert Organisation.objects.filter(kind=Organisation.Kind.YOUTH_WING, parent__isnull=True).count() == 0
    assert Place.objects.values("locality").distinct().count() > 5
    assert RequiredLanguage.objects.values("level").distinct().count() > 3


def test_published_offers_state_their_pay_and_sections_carry_search_text_as_save_computes_it():
    seed()

    for offer in Offer.objects.exclude(status=Offer.Status.DRAFT):
        assert offer.has_pay, offer.slug
        saved_text = offer.search_text
        offer.save()
        assert offer.search_text == saved_text
    assert all(sum(len(getattr(offer, name)) for name in Offer.SECTION_FIELDS) > 600 for offer in Offer.objects.all())


def test_the_applications_have_every_status_and_kind_with_their_history():
    seed()

    assert set(Application.objects.values_list("status", flat=True)) == set(Application.Status)
    assert set(Application.objects.values_list("kind", flat=True)) == set(Application.Kind)
    applications = Application.objects.prefetch_related("status_changes", "documents").select_related("organisation")
    for application in applications:
        changes = list(application.status_changes.all())
        last = changes[-1].to_status if changes else Application.Status.RECEIVED
        assert last == application.status
        assert application.erase_after == application.erasure_date()
        assert len(application.documents.all()) == (0 if application.is_erased else 1)


def test_a_sample_of_every_model_passes_full_clean():
    seed()

    models = [Organisation, Institution, PoliticalGroup, GroupComposition, Membership, Offer, Place]
    for model in [*models, RequiredLanguage, Benefit, StatusChange, Document]:
        for row in model.objects.all()[:25]:
            row.full_clean()
    for application in Application.objects.filter(erased_at__isnull=True)[:50]:
        application.full_clean()
    for offer in Offer.objects.open():
        assert offer.publication_problems() == []


def test_the_recruiter_logs_in_and_lists_bench_bigs_applications_and_no_others(client):
    seed(password="another-bench-password")

    assert log_in(client, "another-bench-password").status_code == 302
    response = client.get(CHANGELIST)

    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == 40
    assert {application.organisation.slug for application in changelist.result_list} == {"bench-big"}


def test_the_recruiter_downloads_a_cv(client):
    seed()
    document = Document.objects.filter(application__organisation__slug="bench-big").first()

    log_in(client)
    url = reverse("admin:applications_application_download", args=[document.application_id, document.pk])
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_open_offers_are_on_the_public_list(client):
    seed()

    response = client.get("/offres/")

    listed = {key.pk for key in response.context["page"].paginator.object_list}
    assert listed == set(Offer.objects.open().values_list("pk", flat=True))
    assert not listed & set(Offer.objects.filter(status=Offer.Status.DRAFT).values_list("pk", flat=True))


def test_a_word_of_an_offers_text_finds_it(client):
    seed()
    offer = next(offer for offer in Offer.objects.open() if "medewerker" in offer.missions + offer.context)

    response = client.get("/offres/", {"q": "medewerker"})

    found = set(Offer.objects.filter(pk__in=[key.pk for key in response.context["page"].paginator.object_list]))
    assert offer in found
    assert len(found) < Offer.objects.open().count()
    assert all(" medewerker" in found_offer.search_text for found_offer in found)


def test_running_it_again_adds_nothing():
    seed()
    before = everything()

    out = seed()

    assert everything() == before
    assert "already there" in out


def test_another_size_asks_for_a_reset():
    seed()

    with pytest.raises(CommandError, match="--reset"):
        seed(applications=500)


def test_reset_starts_again_and_the_same_arguments_give_the_same_data():
    seed()
    emails = set(Application.objects.values_list("email", "status", "offer__slug"))
    before = everything()

    out = seed(reset=True)

    assert "Previous bench data deleted: 241 organisations, 60 offers, 400 applications" in out
    assert everything() == before
    assert set(Application.objects.values_list("email", "status", "offer__slug")) == emails
    seed(applications=500, reset=True)
    assert Application.objects.count() == 500
    assert Application.objects.filter(organisation__slug="bench-big").count() == 50


def test_an_interrupted_reset_leaves_the_previous_data_whole(monkeypatch):
    seed()
    before = everything()
    monkeypatch.setattr(SeedBench, "application", lambda *args: 1 / 0)  # in the thread that makes the rows

    with pytest.raises(ZeroDivisionError):
        seed(reset=True)

    assert everything() == before


def test_it_leaves_other_organisations_alone(organisation, bob):
    seed()
    seed(reset=True)

    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert get_user_model().objects.filter(pk=bob.pk).exists()


def test_too_few_offers_are_refused():
    with pytest.raises(CommandError, match="at least 20 offers"):
        seed(offers=5)
