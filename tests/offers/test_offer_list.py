import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from jobboard.jinja_env import offers_found, open_offers
from offers import filters
from offers.caching import current_generation
from offers.models import Country, Institution, Language, Offer, Place
from offers.views import OfferPaginator
from tests.factories import listed_offers, make_group, make_institution, make_offer, make_organisation

pytestmark = pytest.mark.django_db
URL = reverse("offers:list")


def titles(response):
    return [offer.title for offer in listed_offers(response)]


def test_it_lists_open_offers_newest_first(client):
    older = make_offer(title="Older", published_at=timezone.now() - timedelta(days=3))
    newer = make_offer(title="Newer")
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [newer.title, older.title]
    assert "2 offres" in response.content.decode()


def test_it_leaves_out_drafts_and_closed_offers(client):
    make_offer(title="Draft", status=Offer.Status.DRAFT, published_at=None)
    make_offer(title="Past deadline", deadline=timezone.now() - timedelta(hours=1))
    make_offer(title="Open")
    assert titles(client.get(URL)) == ["Open"]


def test_it_shows_closed_offers_when_asked(client):
    make_offer(title="Past deadline", deadline=timezone.now() - timedelta(hours=1))
    make_offer(title="Draft", status=Offer.Status.DRAFT, published_at=None)
    assert titles(client.get(URL, {"closed": "on"})) == ["Past deadline"]


def test_it_searches_title_and_sections_with_every_word(client):
    make_offer(title="Secrétaire général·e", missions="Animer le groupe")
    make_offer(title="Assistant parlementaire", profile="Maîtrise du néerlandais")
    make_offer(title="Informaticien")
    assert titles(client.get(URL, {"q": "secrétaire"})) == ["Secrétaire général·e"]
    assert titles(client.get(URL, {"q": "néerlandais"})) == ["Assistant parlementaire"]
    assert titles(client.get(URL, {"q": "secrétaire néerlandais"})) == []


def test_it_filters_by_contract_type_one_or_several(client):
    make_offer(title="CDI", contract_type=Offer.ContractType.PERMANENT)
    make_offer(title="CDD", contract_type=Offer.ContractType.FIXED_TERM)
    make_offer(title="Stage", contract_type=Offer.ContractType.INTERNSHIP)
    assert titles(client.get(URL, {"contract": "permanent"})) == ["CDI"]
    assert sorted(titles(client.get(URL, {"contract": ["permanent", "internship"]}))) == ["CDI", "Stage"]


def test_it_filters_internships_only(client):
    make_offer(title="Stage", contract_type=Offer.ContractType.INTERNSHIP)
    make_offer(title="CDD")
    assert titles(client.get(URL, {"internships": "on"})) == ["Stage"]


def test_it_filters_by_organisation_and_group(client):
    ecolo = make_organisation(slug="ecolo")
    group = make_group(ecolo, slug="ecolo-groen")
    make_offer(title="Party job", organisation=ecolo)
    make_offer(title="Group job", organisation=ecolo, group=group)
    make_offer(title="Elsewhere")
    assert sorted(titles(client.get(URL, {"organisation": "ecolo"}))) == ["Group job", "Party job"]
    assert titles(client.get(URL, {"group": "ecolo-groen"})) == ["Group job"]


def test_it_filters_by_level_of_government(client):
    organisation = make_organisation()
    regional = make_group(organisation, institution=make_institution(level=Institution.Level.REGIONAL))
    federal = make_group(organisation, institution=make_institution(level=Institution.Level.NATIONAL))
    make_offer(title="Region", organisation=organisation, group=regional)
    make_offer(title="Chamber", organisation=organisation, group=federal)
    assert titles(client.get(URL, {"level": "national"})) == ["Chamber"]

    nowhere = client.get(URL, {"level": "municipal"})  # a level no group sits at
    assert nowhere.status_code == 200
    assert titles(nowhere) == []
    assert "Aucune offre" in nowhere.content.decode()


def test_the_level_filter_finds_an_offer_published_since_the_menus_were_read(client, settings):
    """The level filter reads the groups' ids with the menus, which are kept while nothing is saved: every
    group is there, not only the groups of the published offers the menus list."""
    settings.PAGE_CACHE_SECONDS = 0  # the page would expire at the publication; here it is moved instead
    group = make_group(make_organisation(), institution=make_institution(level=Institution.Level.EUROPEAN))
    make_offer(
        title="Brussels", group=group, status=Offer.Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1)
    )
    assert titles(client.get(URL, {"level": "european"})) == []

    Offer.objects.update(published_at=timezone.now() - timedelta(minutes=1))  # published, nothing saved

    assert titles(client.get(URL, {"level": "european"})) == ["Brussels"]


def test_it_filters_by_place_and_country(client):
    offer = make_offer(title="Lille", places=("Lille", "Amiens"))
    offer.places.update(country=Country.FRANCE, region="Hauts-de-France")
    make_offer(title="Bruxelles", places=("Bruxelles",))
    assert titles(client.get(URL, {"place": "amiens"})) == ["Lille"]
    assert titles(client.get(URL, {"place": "hauts-de"})) == ["Lille"]
    assert titles(client.get(URL, {"country": "BE"})) == ["Bruxelles"]
    assert titles(client.get(URL, {"country": "FR"})) == ["Lille"]


def test_an_offer_with_two_places_is_listed_once(client):
    make_offer(title="Two places", places=("Lille", "Amiens"))
    Place.objects.filter(offer__title="Two places").update(country=Country.FRANCE)
    assert titles(client.get(URL, {"country": "FR"})) == ["Two places"]


def test_it_filters_on_remote_work_and_language(client):
    make_offer(title="Remote", remote_policy=Offer.RemotePolicy.PARTIAL, language=Language.DUTCH)
    make_offer(title="On site")
    assert titles(client.get(URL, {"remote": "on"})) == ["Remote"]
    assert titles(client.get(URL, {"language": "nl"})) == ["Remote"]


def test_it_filters_offers_closing_within_a_week_and_sorts_by_deadline(client):
    make_offer(title="Later", deadline=timezone.now() + timedelta(days=20))
    make_offer(title="In five days", deadline=timezone.now() + timedelta(days=5))
    make_offer(title="Tomorrow", deadline=timezone.now() + timedelta(days=1))
    assert titles(client.get(URL, {"closing_soon": "on", "sort": "deadline"})) == ["Tomorrow", "In five days"]


def test_filters_combine(client):
    ecolo = make_organisation(slug="ecolo")
    make_offer(title="Ecolo stage", organisation=ecolo, contract_type=Offer.ContractType.INTERNSHIP)
    make_offer(title="Ecolo CDI", organisation=ecolo, contract_type=Offer.ContractType.PERMANENT)
    make_offer(title="Other stage", contract_type=Offer.ContractType.INTERNSHIP)
    assert titles(client.get(URL, {"organisation": "ecolo", "internships": "on"})) == ["Ecolo stage"]


def test_active_filters_are_shown_with_a_link_that_removes_each(client):
    make_offer(title="Stage", contract_type=Offer.ContractType.INTERNSHIP)
    response = client.get(URL, {"contract": ["internship", "permanent"], "q": "stage"})
    removals = {f["value"]: f["remove"] for f in response.context["active_filters"]}
    assert set(removals) == {"Stage", "Contrat à durée indéterminée", "stage"}
    assert "contract=internship" not in removals["Stage"]
    assert "contract=permanent" in removals["Stage"] and "q=stage" in removals["Stage"]


def test_the_chosen_organisation_and_group_are_named_among_the_active_filters(client):
    organisation = make_organisation(name="Écolo", slug="ecolo")
    make_offer(title="Stage", organisation=organisation, group=make_group(organisation, name="Groupe Écolo"))
    group_slug = Offer.objects.get().group.slug
    response = client.get(URL, {"organisation": "ecolo", "group": group_slug})
    assert titles(response) == ["Stage"]
    assert {f["label"]: f["value"] for f in response.context["active_filters"]} == {
        "Organisation": "Écolo",
        "Groupe politique": "Groupe Écolo",
    }


def test_an_empty_result_explains_what_to_do(client):
    response = client.get(URL, {"q": "astronaute"})
    assert response.status_code == 200
    assert "Aucune offre ne correspond" in response.content.decode()


def test_it_paginates_and_keeps_the_filters_in_page_links(client):
    for n in range(25):
        make_offer(title=f"Stage {n}", contract_type=Offer.ContractType.INTERNSHIP)
    first = client.get(URL, {"internships": "on"})
    assert len(first.context["page"]) == 20
    assert "internships=on&amp;page=2" in first.content.decode()
    second = client.get(URL, {"internships": "on", "page": 2})
    assert len(second.context["page"]) == 5


@pytest.mark.parametrize(
    "query",
    [
        {"contract": "astronaut"},
        {"organisation": "no-such-organisation"},
        {"level": "galactic"},
        {"page": "99999"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "²"},  # a digit to str.isdigit(), not to int()
        {"page": "9" * 5000},  # more digits than int() converts
        {"q": "x" * 5000},
        {"sort": "price"},
        {"closing_soon": "maybe"},
        {"q": "\x00"},
    ],
)
def test_bad_query_strings_give_a_normal_page(client, query):
    make_offer()
    response = client.get(URL, query)
    assert response.status_code == 200


def test_an_unknown_choice_is_reported_and_ignored(client):
    make_offer(title="Open")
    response = client.get(URL, {"contract": "astronaut"})
    assert titles(response) == ["Open"]
    assert response.context["filter"].form.errors["contract"]
    response = client.get(URL, {"organisation": "no-such-party"})
    assert titles(response) == ["Open"]
    assert response.context["filter"].form.errors["organisation"]


@pytest.mark.parametrize("shown", [1, 15, 40])
def test_the_list_costs_the_same_queries_whatever_the_number_of_offers(
    client, django_assert_num_queries, settings, shown
):
    settings.PAGE_CACHE_SECONDS = 0  # the page's own queries, as on a cache miss
    organisation = make_organisation()
    group = make_group(organisation)
    for _ in range(shown):
        make_offer(organisation=organisation, group=group, places=("Lille", "Amiens"))
    # the count, the page's offers, their cards' offers and places, the menus (with the groups' levels)
    with django_assert_num_queries(5):
        response = client.get(URL, {"contract": "fixed_term", "q": "mission", "level": "regional"})
    assert len(listed_offers(response)) == min(shown, 20)


def test_active_filters_read_as_french_writes_them(client):
    make_offer(title="Stage", contract_type=Offer.ContractType.INTERNSHIP)
    html = client.get(URL, {"contract": "internship"}).content.decode()
    assert "Contrat : Stage" in html


def test_all_agrees_with_the_label_in_french(client):
    make_offer()
    html = client.get(URL).content.decode()

    def first_option(name):
        return re.search(rf'<select[^>]*name="{name}"[^>]*><option value=""[^>]*>([^<]*)</option>', html).group(1)

    assert (first_option("organisation"), first_option("language")) == ("Toutes", "Toutes")
    assert (first_option("group"), first_option("level"), first_option("country")) == ("Tous", "Tous", "Tous")


def test_the_organisation_menu_escapes_names_and_keeps_the_choice(client):
    chosen = make_organisation(name='Parti "Les <Verts>" & Co', slug="verts")
    make_offer(organisation=chosen)
    make_offer(organisation=make_organisation(name="Autre parti"))
    html = client.get(URL, {"organisation": "verts"}).content.decode()
    menu = re.search(r'<select[^>]*name="organisation"[^>]*>(.*?)</select>', html).group(1)
    assert '<option value="verts" selected>Parti &quot;Les &lt;Verts&gt;&quot; &amp; Co</option>' in menu
    assert re.findall(r"<option[^>]*selected", menu) == ['<option value="verts" selected']
    assert '<option value="">Toutes</option>' in menu


def test_what_one_request_marks_on_the_form_is_not_carried_to_the_next(client):
    """The filters and the form's fields are copied for each request, one level down (CopiedOneLevelDown):
    a field marked invalid, or a search, must not reach the next visitor's page."""
    make_offer(title="Attaché de presse")
    make_offer(title="Juriste")

    refused = client.get(URL, {"level": "nowhere", "q": "juriste"}).content.decode()
    following = client.get(URL).content.decode()

    assert 'aria-invalid="true"' in refused
    assert "is-invalid" in refused
    assert 'aria-invalid="true"' not in following
    assert "is-invalid" not in following
    assert "2 offres" in following
    assert titles(client.get(URL, {"q": "attache"})) == ["Attaché de presse"]


def checked_contracts(html: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="contract" value="(\w+)"[^>]*\bchecked\b', html)


def test_the_form_shows_each_pages_own_choices_in_its_language(client):
    """The fields' markup is kept per process (OfferFilterForm): by value and language, never another page's."""
    make_offer(title="Stage", contract_type=Offer.ContractType.INTERNSHIP)

    internships = client.get(URL, {"contract": "internship", "language": "nl"}).content.decode()
    all_offers = client.get(URL).content.decode()
    in_english = client.get("/en" + URL, {"contract": "internship"}).content.decode()

    assert checked_contracts(internships) == ["internship"]
    assert '<option value="nl" selected>' in internships
    assert checked_contracts(all_offers) == []
    assert '<option value="nl" selected>' not in all_offers
    assert checked_contracts(in_english) == ["internship"]
    assert ">Contract</legend>" in in_english
    assert ">Contrat</legend>" in internships


def test_a_menu_read_again_shows_what_it_now_lists(client, settings):
    """A scheduled offer's publication changes no row: the menus show its organisation when they are
    next read from the database, and the form's kept markup follows them."""
    settings.PAGE_CACHE_SECONDS = 0
    make_offer(organisation=make_organisation(name="Parti Un"))
    make_offer(
        organisation=make_organisation(name="Parti Deux"),
        status=Offer.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert '">Parti Deux</option>' not in client.get(URL).content.decode()
    Offer.objects.filter(status=Offer.Status.SCHEDULED).update(published_at=timezone.now() - timedelta(minutes=1))
    assert '">Parti Deux</option>' not in client.get(URL).content.decode()  # the menus read before

    filters._menus_in_process.clear()  # as when both their keeping times are over
    cache.delete(f"list-menus:{current_generation()}")

    assert '">Parti Deux</option>' in client.get(URL).content.decode()


def test_past_the_counted_number_the_list_says_more_than_and_still_pages(client, monkeypatch):
    """OfferPaginator counts up to COUNTED_UP_TO offers on the pages before it, and all of them after."""
    monkeypatch.setattr(OfferPaginator, "COUNTED_UP_TO", 40)
    for n in range(45):
        make_offer(title=f"Offre {n}")

    first = client.get(URL)
    second = client.get(URL, {"page": 2})
    third = client.get(URL, {"page": 3})

    assert "Plus de 40 offres" in first.content.decode()
    assert ">Page 1</span>" in first.content.decode()
    assert "page=2" in first.content.decode()
    assert "Plus de 40 offres" in second.content.decode()
    assert len(second.context["page"]) == 20
    assert "page=3" in second.content.decode()
    assert "45 offres" in third.content.decode()
    assert "Page 3 sur 3" in third.content.decode()
    assert len(third.context["page"]) == 5
    assert len({*titles(first), *titles(second), *titles(third)}) == 45


@pytest.mark.parametrize("sort", ["newest", "deadline"])
def test_the_pages_nearer_the_end_list_the_offers_in_the_same_order(client, monkeypatch, settings, sort):
    """Past the counted pages, a page nearer the end than the start is read from the end (OfferPaginator)."""
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(OfferPaginator, "COUNTED_UP_TO", 20)
    now = timezone.now()
    for n in range(65):  # the newest are the last to close; two offers share each moment, told apart by id
        moment = timedelta(hours=n // 2)
        make_offer(
            title=f"Offre {n:02}",
            published_at=now - timedelta(days=5) + moment,
            deadline=now + timedelta(days=1) + moment,
        )
    newest_first = [f"Offre {n:02}" for n in sorted(range(65), key=lambda n: (n // 2, n), reverse=True)]
    expected = newest_first if sort == "newest" else newest_first[::-1]

    pages = [titles(client.get(URL, {"sort": sort, "page": number})) for number in (1, 2, 3, 4)]

    assert [len(page) for page in pages] == [20, 20, 20, 5]
    assert [title for page in pages for title in page] == expected


def test_counts_of_a_thousand_and_more_are_grouped_as_the_language_writes_them(client, monkeypatch):
    monkeypatch.setattr(OfferPaginator, "more_than", property(lambda self: 1000))
    make_offer()

    assert "Plus de 1\xa0000 offres" in client.get(URL).content.decode()
    with translation.override("fr"):
        assert offers_found(4269) == "4\xa0269 offres"
    with translation.override("nl"):
        assert offers_found(4269).startswith("4.269 ")
    with translation.override("en"):
        assert open_offers(1200) == "1,200 open offers"
