import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from offers.models import (
    Benefit,
    GroupComposition,
    Institution,
    Language,
    Offer,
    Organisation,
    Place,
    PoliticalGroup,
    RequiredLanguage,
    Story,
    contrast_with_white,
)

pytestmark = pytest.mark.django_db

DEMO_MODELS = [
    Organisation,
    Institution,
    PoliticalGroup,
    GroupComposition,
    Offer,
    Place,
    RequiredLanguage,
    Benefit,
    Story,
]
ADDRESS = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in DEMO_MODELS}


def is_example_org(domain: str) -> bool:
    return domain == "example.org" or domain.endswith(".example.org")


def offer(slug: str) -> Offer:
    return Offer.objects.get(slug=slug)


def test_it_prints_a_summary():
    output = load_demo()
    assert output.startswith("Demo data: 11 organisations, 4 institutions, 5 groups, 6 offers, 7 stories (created ")
    assert "6 logos drawn" in output


def test_a_second_run_keeps_the_same_rows_counts_and_pks():
    load_demo()
    first = snapshot()
    output = load_demo()
    assert snapshot() == first
    assert "created 0, updated 0, removed 0; 0 logos drawn" in output


def test_a_run_puts_back_changed_demo_content_and_removes_rows_it_no_longer_has():
    load_demo()
    engages = offer("adjoint-e-direction-groupe-les-engages-chambre")
    pks = {place.pk for place in engages.places.all()}
    Offer.objects.filter(pk=engages.pk).update(title="Changed")
    Place.objects.create(offer=engages, locality="Namur", country=engages.places.get().country, position=5)
    RequiredLanguage.objects.create(offer=engages, language=Language.ENGLISH, level=RequiredLanguage.Level.C1)
    output = load_demo()
    engages.refresh_from_db()
    assert engages.title.startswith("Adjoint·e à la direction")
    assert {place.pk for place in engages.places.all()} == pks
    assert [language.language for language in engages.languages.all()] == [Language.DUTCH]
    assert "updated 1, removed 2" in output


def test_it_keeps_a_logo_the_organisation_already_has():
    load_demo()
    ecolo = Organisation.objects.get(slug="ecolo")
    ecolo.logo.save("uploaded.png", ContentFile(ecolo.logo.read()))
    load_demo()
    ecolo.refresh_from_db()
    assert ecolo.logo.name == "logos/uploaded.png"


def test_main_organisations_get_a_readable_accent_colour_and_a_logo():
    load_demo()
    coloured = Organisation.objects.exclude(accent_colour="")
    assert coloured.count() == 6
    for organisation in coloured:
        assert contrast_with_white(organisation.accent_colour) >= 4.5
        assert organisation.logo.name.endswith(".png")


def test_every_demo_row_passes_model_validation():
    load_demo()
    for model in DEMO_MODELS:
        for row in model.objects.all():
            row.full_clean()


def test_ecolo_has_a_careers_page_and_takes_spontaneous_applications_and_internship_requests():
    load_demo()
    ecolo = Organisation.objects.get(slug="ecolo")
    assert ecolo.kind == Organisation.Kind.PARTY
    assert ecolo.presentation and ecolo.working_with_us
    assert "bénévoles" in ecolo.candidate_expectations and "mandataires" in ecolo.candidate_expectations
    assert ecolo.accepts_spontaneous_applications and ecolo.accepts_internship_requests
    assert ecolo.applications_email == "recrutement@ecolo.example.org"
    # Its careers page asks for internship requests by e-mail, spontaneous applications with a form.
    assert ecolo.internship_requests_email == "stages@ecolo.example.org"
    assert not ecolo.takes_internship_requests_by_form


def test_ecolo_tells_the_stories_of_seven_members_of_staff():
    load_demo()
    ecolo = Organisation.objects.get(slug="ecolo")
    persons = list(ecolo.stories.published().values_list("person", flat=True))
    assert persons == ["Hélène", "Vasty", "Jérôme", "Catherine", "Baptiste", "Elodie", "Claire"]
    helene = ecolo.stories.get(person="Hélène")
    for figure in ("45", "660", "260", "150", "72"):
        assert figure in helene.text
    assert "Oslo" in ecolo.stories.get(person="Elodie").text
    assert "AMA" in ecolo.stories.get(person="Catherine").text


def test_ecoloj_is_ecolos_youth_wing_and_recruits_its_own_coordinator():
    load_demo()
    ecoloj = Organisation.objects.get(slug="ecoloj")
    assert ecoloj.kind == Organisation.Kind.YOUTH_WING
    assert ecoloj.parent.slug == "ecolo"
    coordinator = offer("ecoloj-coordinateur-trice")
    assert coordinator.organisation == ecoloj
    assert coordinator.contract_type == Offer.ContractType.PERMANENT


def test_ecolo_recruits_for_the_joint_ecolo_groen_group_at_the_chamber():
    load_demo()
    communication = offer("ecolo-groen-charge-e-de-communication")
    assert communication.organisation.slug == "ecolo"
    assert communication.group.institution.name == "Chambre des représentants"
    parties = {part.party.slug for part in communication.group.composition.all()}
    assert parties == {"ecolo", "groen"}
    assert communication.contract_type == Offer.ContractType.FIXED_TERM


def test_the_nord_internship_is_published_but_closed():
    load_demo()
    internship = offer("stage-charge-e-de-mission-groupe-ecologiste-nord")
    assert internship.status == Offer.Status.PUBLISHED
    assert internship in Offer.objects.published()
    assert internship not in Offer.objects.open()
    assert internship.effective_status == Offer.Status.CLOSED


def test_the_nord_internship_pays_about_600_a_month_with_meal_vouchers_and_transport():
    load_demo()
    internship = offer("stage-charge-e-de-mission-groupe-ecologiste-nord")
    assert internship.contract_type == Offer.ContractType.INTERNSHIP
    assert internship.pay_min == internship.pay_max == Decimal("600")
    assert internship.pay_note == "environ"
    assert {benefit.kind for benefit in internship.benefits.all()} == {
        Benefit.Kind.MEAL_VOUCHERS,
        Benefit.Kind.TRANSPORT,
    }
    assert internship.group.institution.level == Institution.Level.PROVINCIAL
    assert internship.organisation.kind == Organisation.Kind.POLITICAL_GROUP
    assert internship.interviews_from == timezone.localdate(internship.deadline) + timedelta(days=2)


def test_the_hauts_de_france_group_has_14_seats_7_1_5_and_one_non_affiliated():
    load_demo()
    group = PoliticalGroup.objects.get(slug="ecologistes-hauts-de-france")
    assert group.seats == 14
    seats = {
        part.party.short_name or part.party.name if part.party else None: part.seats for part in group.composition.all()
    }
    assert seats == {"EELV": 7, "Génération.s": 1, "LFI": 5, None: 1}


def test_the_nord_group_has_no_made_up_number_of_members():
    # Its posting names its two parties, not how many elected members they have.
    load_demo()
    group = PoliticalGroup.objects.get(slug="ecologistes-departement-nord")
    assert group.seats is None
    assert [part.seats for part in group.composition.all()] == [None, None]


def test_the_hauts_de_france_offer_is_in_lille_and_amiens_and_ends_with_the_term():
    load_demo()
    secretary = offer("secretaire-general-e-groupe-ecologiste-hauts-de-france")
    assert [place.locality for place in secretary.places.all()] == ["Lille", "Amiens"]
    assert secretary.travel == Offer.Travel.FREQUENT
    assert secretary.pay_scale and not secretary.pay_min
    assert secretary.ends_with_term and secretary.group.institution.term_ends_year == 2028


def test_the_les_engages_offer_requires_dutch_b2_and_pays_4200_to_4700_gross_a_month():
    load_demo()
    deputy = offer("adjoint-e-direction-groupe-les-engages-chambre")
    dutch = deputy.languages.get()
    assert (dutch.language, dutch.level) == (Language.DUTCH, RequiredLanguage.Level.B2)
    assert (deputy.pay_min, deputy.pay_max) == (Decimal("4200"), Decimal("4700"))
    assert (deputy.pay_basis, deputy.pay_period) == (Offer.PayBasis.GROSS, Offer.PayPeriod.MONTH)
    assert deputy.pay_scale == "Barèmes de la Chambre des représentants"
    assert deputy.contract_type == Offer.ContractType.PERMANENT


def test_the_les_engages_offer_is_partly_remote_with_leave_commuting_and_insurance():
    load_demo()
    deputy = offer("adjoint-e-direction-groupe-les-engages-chambre")
    assert deputy.remote_policy == Offer.RemotePolicy.PARTIAL
    assert deputy.remote_days_per_week == 2
    assert {benefit.kind for benefit in deputy.benefits.all()} == {
        Benefit.Kind.PAID_LEAVE,
        Benefit.Kind.TRANSPORT,
        Benefit.Kind.HEALTH_INSURANCE,
    }
    deadline_day = timezone.localdate(deputy.deadline)
    assert (deputy.interviews_from, deputy.interviews_to) == (
        deadline_day + timedelta(days=3),
        deadline_day + timedelta(days=14),
    )
    assert deputy.group.seats == 14


def test_the_pays_de_la_loire_offer_pays_net_and_tests_in_writing_before_interviews_in_nantes():
    load_demo()
    secretary = offer("secretaire-general-e-ecologie-ensemble-pays-de-la-loire")
    assert (secretary.pay_min, secretary.pay_max, secretary.pay_basis) == (
        Decimal("2400"),
        Decimal("2600"),
        Offer.PayBasis.NET,
    )
    assert secretary.start_precision == Offer.StartPrecision.MONTH and secretary.start_date.day == 1
    assert secretary.written_test_to < secretary.interviews_from
    assert secretary.places.get().locality == "Nantes"
    assert secretary.group.seats == 12
    assert secretary.group.composition.get(party=None).seats == 1


def test_at_least_one_offer_closes_within_a_week():
    load_demo()
    assert Offer.objects.closing_within(7).exists()


def test_open_offers_close_in_5_to_40_days_at_midnight_brussels_time():
    load_demo()
    today = timezone.localdate()
    for open_offer in Offer.objects.open():
        deadline = timezone.localtime(open_offer.deadline)
        assert 5 <= (deadline.date() - today).days <= 40
        assert (deadline.hour, deadline.minute) == (23, 59)
    assert Offer.objects.open().count() == 5


def test_every_open_demo_offer_can_be_published():
    load_demo()
    for open_offer in Offer.objects.open():
        assert open_offer.publication_problems() == [], open_offer.slug


def test_the_closed_offer_lacks_nothing_but_a_future_deadline():
    load_demo()
    internship = offer("stage-charge-e-de-mission-groupe-ecologiste-nord")
    assert len(internship.publication_problems()) == 1
    internship.deadline = timezone.now() + timedelta(days=1)
    assert internship.publication_problems() == []


def test_every_email_field_is_at_example_org():
    load_demo()
    checked = 0
    for model in DEMO_MODELS:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.EmailField):
                for value in model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    assert is_example_org(value.rsplit("@", 1)[1]), value
                    checked += 1
    assert checked > 0


def test_no_text_mentions_an_address_outside_example_org():
    load_demo()
    for model in DEMO_MODELS:
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        if not text_fields:
            continue  # values_list() with no names would give every column
        for row in model.objects.values_list(*text_fields):
            for value in row:
                for domain in ADDRESS.findall(value or ""):
                    assert is_example_org(domain), value


SEED_FACTS_ON_PAGES = {
    "adjoint-e-direction-groupe-les-engages-chambre": [
        "Contrat à durée indéterminée",
        "4 200 – 4 700 € brut par mois",
        "Barèmes de la Chambre des représentants",
        "Néerlandais",
        "B2",
        "Chambre des représentants",
        "2 jours par semaine",
    ],
    "secretaire-general-e-groupe-ecologiste-hauts-de-france": [
        "Lille / Amiens",
        "14 élu·es de 3 partis",
        "Non-inscrit·e",
        "Présidence et bureau du groupe",
        "Contrat à durée déterminée",
        "Temps plein",
    ],
    "secretaire-general-e-ecologie-ensemble-pays-de-la-loire": [
        "2 400 – 2 600 € net par mois",
        "Titres-repas",
        "Épreuve écrite",
        "à distance",
        "Hôtel de Région",
        "Nantes",
    ],
    "stage-charge-e-de-mission-groupe-ecologiste-nord": [
        "Cette offre est clôturée",
        "600 € brut par mois",
        "Gratification",
        "4 à 6 mois",
        "Département du Nord",
    ],
    "ecoloj-coordinateur-trice": ["EcoloJ", "Contrat à durée indéterminée", "Bruxelles"],
    "ecolo-groen-charge-e-de-communication": ["Ecolo-Groen", "Contrat à durée déterminée", "Bruxelles"],
}


@pytest.mark.parametrize("slug", SEED_FACTS_ON_PAGES)
def test_each_seed_postings_facts_are_on_its_offer_page(client, slug):
    call_command("load_demo", stdout=StringIO())
    response = client.get(reverse("offers:detail", args=[slug]))
    html = response.content.decode().replace("\xa0", " ")
    assert response.status_code == 200
    for fact in SEED_FACTS_ON_PAGES[slug]:
        assert fact in html, fact
