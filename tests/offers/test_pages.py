from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from offers.models import Benefit, GroupComposition, Offer, Place, RequiredLanguage
from tests.factories import make_group, make_offer, make_organisation, make_story, make_user

pytestmark = pytest.mark.django_db


def test_home_shows_latest_closing_soon_and_recruiting_organisations(client):
    organisation = make_organisation(name="Ecolo")
    make_offer(title="Newest", organisation=organisation)
    make_offer(title="Closing", organisation=organisation, deadline=timezone.now() + timedelta(days=2))
    make_offer(title="Hidden draft", status=Offer.Status.DRAFT, published_at=None)
    response = client.get(reverse("offers:home"))
    assert response.status_code == 200
    assert [o.title for o in response.context["closing_soon"]] == ["Closing"]
    assert "Hidden draft" not in response.content.decode()
    [recruiting] = response.context["recruiting"]
    assert recruiting == organisation and recruiting.open_offers == 2


def test_home_lists_organisations_by_open_offers_then_name(client):
    ecolo, defi, mr = (make_organisation(name=name) for name in ("Ecolo", "DéFI", "MR"))
    for organisation, open_offers in ((ecolo, 1), (defi, 1), (mr, 2)):
        for _ in range(open_offers):
            make_offer(organisation=organisation)
    make_offer(organisation=ecolo, status=Offer.Status.CLOSED)
    make_offer(organisation=ecolo, status=Offer.Status.DRAFT, published_at=None)

    recruiting = client.get(reverse("offers:home")).context["recruiting"]

    assert [(organisation.name, organisation.open_offers) for organisation in recruiting] == [
        ("MR", 2),
        ("DéFI", 1),
        ("Ecolo", 1),
    ]
    assert recruiting[0].get_absolute_url() == mr.get_absolute_url()


def seed_offer():
    party = make_organisation(name="Les Écologistes")
    other_party = make_organisation(name="La France insoumise")
    employer = make_organisation(name="Groupe régional", accent_colour="#1b5e4b")
    group = make_group(employer, name="Groupe écologiste", seats=14)
    GroupComposition.objects.create(group=group, party=party, seats=7)
    GroupComposition.objects.create(group=group, party=other_party, seats=5)
    GroupComposition.objects.create(group=group, party=None, seats=1)
    offer = make_offer(
        title="Secrétaire général·e",
        organisation=employer,
        group=group,
        places=("Lille", "Amiens"),
        pay_min=Decimal("4200"),
        pay_max=Decimal("4700"),
        pay_scale="Barèmes de la Chambre",
        reporting_line="Présidence et bureau du groupe",
        interviews_from=timezone.localdate() + timedelta(days=20),
        interviews_to=timezone.localdate() + timedelta(days=25),
        missions="- Animer la vie du groupe",
        contact_email="recrutement@example.org",
    )
    RequiredLanguage.objects.create(offer=offer, language="nl", level=RequiredLanguage.Level.B2, skills="écrit")
    Benefit.objects.create(offer=offer, kind=Benefit.Kind.MEAL_VOUCHERS, detail="part employeur 50 %")
    return offer, party


def test_the_offer_page_lays_out_every_fact(client):
    offer, _party = seed_offer()
    response = client.get(offer.get_absolute_url())
    html = response.content.decode().replace("\xa0", " ")
    assert response.status_code == 200
    for fact in [
        "Secrétaire général·e",
        "Lille / Amiens",
        "4 200 – 4 700 € brut par mois",
        "Barèmes de la Chambre",
        "Titres-repas",
        "part employeur 50 %",
        "Présidence et bureau du groupe",
        "Néerlandais",
        "B2",
        "14 élu·es de 2 partis",
        "Non-inscrit",
        "Entretiens",
        "Animer la vie du groupe",
        "recrutement@example.org",
    ]:
        assert fact in html, fact


def test_a_closed_offer_says_so_and_offers_no_way_to_apply(client):
    offer = make_offer(deadline=timezone.now() - timedelta(minutes=1), apply_email="jobs@example.org")
    html = client.get(offer.get_absolute_url()).content.decode()
    assert "Cette offre est clôturée" in html
    assert "jobs@example.org" not in html


def test_the_offer_page_lists_the_organisations_other_open_offers_soonest_first(client):
    organisation = make_organisation(name="Ecolo")
    shown = make_offer(organisation=organisation)
    later = make_offer(
        title="Attaché·e de presse", organisation=organisation, deadline=timezone.now() + timedelta(days=20)
    )
    sooner = make_offer(
        title="Stagiaire communication",
        organisation=organisation,
        contract_type=Offer.ContractType.INTERNSHIP,
        deadline=timezone.now() + timedelta(days=5),
    )
    make_offer(title="Closed one", organisation=organisation, status=Offer.Status.CLOSED)
    make_offer(title="Another party's", organisation=make_organisation())

    html = client.get(shown.get_absolute_url()).content.decode()
    others = html[html.index('id="other-heading"') :]

    with translation.override("fr"):
        deadline = dateformat.format(timezone.localtime(sooner.deadline), "j F Y")
    assert "Autres offres ouvertes chez Ecolo" in others
    assert others.index(sooner.get_absolute_url()) < others.index(later.get_absolute_url())
    assert f"Stagiaire communication</a> · Stage · jusqu&#39;au {deadline}</li>" in others
    assert "Closed one" not in others and "Another party's" not in others
    assert f'href="{shown.get_absolute_url()}"' not in others


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.ARCHIVED])
def test_an_unpublished_offer_is_not_found(client, status):
    offer = make_offer(status=status)
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_a_scheduled_offer_is_not_found_before_its_time(client):
    offer = make_offer(status=Offer.Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1))
    assert client.get(offer.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("with_group", [False, True])
@pytest.mark.parametrize("others", [0, 4, 12])
def test_the_offer_page_costs_the_same_queries_whatever_is_around_it(
    client, django_assert_num_queries, settings, with_group, others
):
    settings.PAGE_CACHE_SECONDS = 0  # the page's own queries, as on a cache miss
    offer, _party = seed_offer()
    if not with_group:
        offer.group = None
        offer.save()
    for _ in range(others):
        make_offer(organisation=offer.organisation, places=("Lille", "Amiens"))
    # the offer, with its places, languages, benefits, group's composition and the other open offers
    with django_assert_num_queries(1):
        client.get(offer.get_absolute_url())


def test_the_offer_page_query_brings_places_languages_and_benefits_in_order(django_assert_num_queries):
    offer, _party = seed_offer()
    Place.objects.filter(offer=offer, locality="Lille").update(position=5)  # Amiens now comes first
    RequiredLanguage.objects.create(offer=offer, language="en", level=RequiredLanguage.Level.C1)
    Benefit.objects.create(offer=offer, kind=Benefit.Kind.PENSION)
    make_offer(places=("Lille",))  # another offer's place, to be left out
    with django_assert_num_queries(1):
        loaded = Offer.objects.for_offer_page().get(pk=offer.pk)
    with django_assert_num_queries(0):
        assert [place.locality for place in loaded.places.all()] == ["Amiens", "Lille"]
        assert loaded.places.count() == 2 and loaded.places.all()[1].locality == "Lille"
        assert all(place.offer is loaded for place in loaded.places.all())
        assert [language.language for language in loaded.languages.all()] == ["nl", "en"]
        assert [benefit.kind for benefit in loaded.benefits.all()] == [Benefit.Kind.MEAL_VOUCHERS, Benefit.Kind.PENSION]
        parts = [(part.party.name if part.party else None, part.seats) for part in loaded.group_parts]
        assert parts == [("Les Écologistes", 7), ("La France insoumise", 5), (None, 1)]
    # A narrower question is still asked of this offer's places only.
    assert [place.locality for place in loaded.places.filter(locality="Lille")] == ["Lille"]


def test_the_offer_page_query_of_an_offer_with_nothing_around_it():
    offer = make_offer(places=())
    loaded = Offer.objects.for_offer_page().get(pk=offer.pk)
    assert list(loaded.places.all()) == list(loaded.languages.all()) == list(loaded.benefits.all()) == []
    assert loaded.group_parts == []


def test_the_preview_shows_a_draft_to_staff_of_its_organisation(client, bob, organisation):
    offer = make_offer(organisation=organisation, status=Offer.Status.DRAFT, published_at=None)
    client.force_login(bob)
    response = client.get(reverse("offers:preview", args=[offer.pk]))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "Aperçu" in response.content.decode()


def test_the_preview_is_not_found_for_staff_of_another_organisation(client, charlie, organisation):
    offer = make_offer(organisation=organisation, status=Offer.Status.DRAFT, published_at=None)
    client.force_login(charlie)
    assert client.get(reverse("offers:preview", args=[offer.pk])).status_code == 404


def test_the_preview_sends_anonymous_visitors_to_the_login(client, organisation):
    offer = make_offer(organisation=organisation, status=Offer.Status.DRAFT, published_at=None)
    response = client.get(reverse("offers:preview", args=[offer.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_preview_refuses_a_non_staff_user(client, organisation):
    offer = make_offer(organisation=organisation, status=Offer.Status.DRAFT, published_at=None)
    client.force_login(make_user("candidate", staff=False))
    assert client.get(reverse("offers:preview", args=[offer.pk])).status_code == 302


def test_a_groups_offer_appears_on_each_member_partys_page(client):
    offer, party = seed_offer()
    response = client.get(party.get_absolute_url())
    assert offer.get_absolute_url() in response.content.decode()
    assert offer.title in response.content.decode()


def test_a_youth_wings_offer_appears_on_its_partys_page(client):
    party = make_organisation(name="Ecolo")
    youth_wing = make_organisation(name="EcoloJ", parent=party)
    offer = make_offer(organisation=youth_wing)
    assert offer.get_absolute_url() in client.get(party.get_absolute_url()).content.decode()
    assert offer.get_absolute_url() not in client.get(make_organisation().get_absolute_url()).content.decode()


def test_the_organisation_page_shows_stories_expectations_and_what_it_accepts(client):
    organisation = make_organisation(
        candidate_expectations="Des **militant·es** engagé·es",
        accepts_spontaneous_applications=True,
        applications_email="jobs@example.org",
    )
    make_story(organisation, title="Hélène aide les élu·es")
    make_story(organisation, title="Brouillon", is_published=False)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Hélène aide les élu·es" in html
    assert "Brouillon" not in html
    assert "<strong>militant·es</strong>" in html
    assert "Nous accueillons les candidatures spontanées" in html
    assert "Nous ne prenons pas de demandes de stage" in html


def test_the_group_page_shows_its_composition(client):
    offer, _party = seed_offer()
    response = client.get(offer.group.get_absolute_url())
    html = response.content.decode()
    assert "14 élu·es de 2 partis" in html
    assert "La France insoumise" in html
    assert offer.title in html


def test_a_group_whose_number_of_members_is_unknown_says_so_rather_than_a_number(client):
    employer = make_organisation(name="Groupe départemental")
    group = make_group(employer, name="Groupe écologiste du Nord", seats=None)
    for name in ("Les Écologistes", "Génération.s"):
        GroupComposition.objects.create(group=group, party=make_organisation(name=name), seats=None)
    offer = make_offer(organisation=employer, group=group)

    for page in (group.get_absolute_url(), offer.get_absolute_url()):
        html = client.get(page).content.decode()
        assert "Élu·es de 2 partis" in html
        assert '<th scope="row">Total</th><td class="text-end">?</td>' in html
        assert "None" not in html


def test_a_group_of_unknown_size_without_parties_is_headed_elected_members(client):
    group = make_group(make_organisation(), seats=None)
    html = client.get(group.get_absolute_url()).content.decode()
    assert '<h2 class="h5">Élu·es</h2>' in html


def test_a_story_page_and_an_unpublished_one(client):
    organisation = make_organisation()
    story = make_story(organisation, title="Jérôme est informaticien", text="Il gère **150** ordinateurs.")
    hidden = make_story(organisation, is_published=False)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "<strong>150</strong>" in response.content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_an_unknown_offer_is_a_friendly_404(client):
    response = client.get(reverse("offers:detail", args=["no-such-offer"]))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
