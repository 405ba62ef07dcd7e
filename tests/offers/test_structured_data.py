"""What search engines, feed readers and calendars get from the board."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from offers.models import Benefit, Offer
from offers.sitemaps import SITEMAPS
from tests.factories import make_group, make_offer, make_organisation, make_story

pytestmark = pytest.mark.django_db


def json_ld(client, offer):
    html = client.get(offer.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_an_open_offer_carries_a_complete_job_posting(client):
    organisation = make_organisation(name="Les Engagés", website="https://example.org")
    offer = make_offer(
        organisation=organisation,
        title="Adjoint·e à la direction (h/f/x)",
        pay_min=Decimal("4200"),
        pay_max=Decimal("4700"),
        remote_policy=Offer.RemotePolicy.PARTIAL,
        contract_type=Offer.ContractType.PERMANENT,
        missions="Diriger le <b>service</b> support",
    )
    offer.places.update(region="Bruxelles-Capitale", postal_code="1000")
    Benefit.objects.create(offer=offer, kind=Benefit.Kind.PAID_LEAVE, detail="30 jours")
    [posting] = json_ld(client, offer)
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == offer.title
    assert "Diriger le" in posting["description"]
    assert posting["datePosted"] == timezone.localtime(offer.published_at).date().isoformat()
    assert posting["validThrough"].startswith(timezone.localtime(offer.deadline).date().isoformat())
    assert posting["employmentType"] == ["FULL_TIME"]
    assert posting["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Les Engagés",
        "sameAs": "https://example.org",
    }
    [place] = posting["jobLocation"]
    assert place["address"] == {
        "@type": "PostalAddress",
        "postalCode": "1000",
        "addressLocality": "Bruxelles",
        "addressRegion": "Bruxelles-Capitale",
        "addressCountry": "BE",
    }
    assert posting["applicantLocationRequirements"] == [{"@type": "Country", "name": "BE"}]
    assert "jobLocationType" not in posting  # partly remote is not telework
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "MONTH",
        "minValue": 4200.0,
        "maxValue": 4700.0,
    }
    assert posting["directApply"] is True
    assert "30 jours" in posting["jobBenefits"]


def test_an_internship_is_marked_intern_and_a_fully_remote_job_telecommute(client):
    offer = make_offer(contract_type=Offer.ContractType.INTERNSHIP, remote_policy=Offer.RemotePolicy.FULL)
    [posting] = json_ld(client, offer)
    assert posting["employmentType"] == ["FULL_TIME", "INTERN"]
    assert posting["jobLocationType"] == "TELECOMMUTE"


def test_a_closed_offer_carries_no_job_posting(client):
    offer = make_offer(deadline=timezone.now() - timedelta(minutes=1))
    assert json_ld(client, offer) == []


def test_a_script_in_a_title_cannot_break_out_of_the_json(client):
    offer = make_offer(title="</script><script>alert(1)</script>")
    html = client.get(offer.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    [posting] = json_ld(client, offer)
    assert posting["title"] == offer.title


def test_the_organisation_page_carries_no_job_posting(client):
    organisation = make_organisation(accepts_spontaneous_applications=True)
    make_offer(organisation=organisation)
    assert "JobPosting" not in client.get(organisation.get_absolute_url()).content.decode()


def test_the_selection_calendar_downloads_as_icalendar(client):
    offer = make_offer(
        written_test_from=date(2027, 6, 5),
        written_test_to=date(2027, 6, 11),
        interviews_from=date(2027, 6, 12),
        interviews_to=date(2027, 6, 19),
        start_date=date(2027, 9, 1),
    )
    response = client.get(reverse("offers:calendar", args=[offer.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    events = {str(event["uid"]).split("@")[0]: event for event in Calendar.from_ical(response.content).walk("VEVENT")}
    assert set(events) == {f"{offer.slug}-{step}" for step in ("deadline", "written-test", "interviews", "start")}
    assert events[f"{offer.slug}-deadline"].decoded("dtstart") == offer.deadline.replace(microsecond=0)
    assert events[f"{offer.slug}-written-test"].decoded("dtstart") == date(2027, 6, 5)
    assert events[f"{offer.slug}-written-test"].decoded("dtend") == date(2027, 6, 12)  # exclusive end
    assert "Épreuve écrite" in str(events[f"{offer.slug}-written-test"]["summary"])


def test_a_draft_has_no_calendar(client):
    offer = make_offer(status=Offer.Status.DRAFT, published_at=None)
    assert client.get(reverse("offers:calendar", args=[offer.slug])).status_code == 404


def test_the_sitemap_lists_published_offers_organisations_and_stories(client):
    organisation = make_organisation()
    live = make_offer(organisation=organisation)
    draft = make_offer(organisation=organisation, status=Offer.Status.DRAFT, published_at=None)
    story = make_story(organisation)
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-\w+\.xml)</loc>", index)
    assert sorted(sections) == [
        "/sitemap-groups.xml",
        "/sitemap-offers.xml",
        "/sitemap-organisations.xml",
        "/sitemap-stories.xml",
    ]
    xml = "".join(client.get(section).content.decode() for section in sections)
    assert live.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml
    assert organisation.get_absolute_url() in xml
    assert story.get_absolute_url() in xml
    assert "<lastmod>" in xml
    assert f'hreflang="nl" href="http://testserver/nl{live.get_absolute_url()}"' in xml
    assert 'hreflang="x-default"' in xml


def djangos_own(sitemap_class):
    """The same sitemap as Django builds it: every (item, language) pair listed, every address reversed."""
    return type(
        f"Django{sitemap_class.__name__}",
        (sitemap_class,),
        {"paginator": DjangoSitemap.paginator, "get_urls": DjangoSitemap.get_urls},
    )


def sitemap_pages(client):
    """{address: (XML, Last-Modified)} of the index and of every page it lists."""
    index = client.get("/sitemap.xml")
    pages = {"/sitemap.xml": (index.content, index.headers.get("Last-Modified"))}
    for address in re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index.content.decode()):
        response = client.get(address.replace("&amp;", "&"))
        assert response.status_code == 200, address
        pages[address] = (response.content, response.headers.get("Last-Modified"))
    return pages


def test_the_sitemap_is_the_one_django_would_make(client, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 0  # each implementation's own pages
    # Three pairs a page: the pages end in the middle of an item's languages, as at 500.
    for sitemap_class in SITEMAPS.values():
        monkeypatch.setattr(sitemap_class, "limit", 3)
    organisation = make_organisation()
    make_group(organisation)
    yesterday = timezone.now() - timedelta(days=1)
    for days in (1, 1, 2, 5):  # two published at the same moment: ordered by creation
        make_offer(organisation=organisation, published_at=yesterday - timedelta(days=days))
    make_offer(organisation=organisation, status=Offer.Status.DRAFT, published_at=None)
    make_story(organisation)
    make_story(make_organisation(), is_published=False)

    ours = sitemap_pages(client)
    for section, sitemap_class in SITEMAPS.items():
        monkeypatch.setitem(SITEMAPS, section, djangos_own(sitemap_class))
    assert len(ours) > len(SITEMAPS) + 1
    assert ours == sitemap_pages(client)


@pytest.mark.parametrize(
    "section, make_item",
    [
        ("offers", lambda: make_offer()),
        ("organisations", lambda: make_organisation()),
        ("groups", lambda: make_group(make_organisation())),
        ("stories", lambda: make_story(make_organisation())),  # each of another organisation
    ],
)
def test_a_sitemap_page_costs_the_same_queries_however_many_items_it_lists(
    section, make_item, client, settings, monkeypatch, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # the page's own queries, as on a cache miss
    monkeypatch.setattr(SITEMAPS[section], "limit", 30)  # ten items in three languages
    for item_count in (11, 40):
        while SITEMAPS[section]().items().count() < item_count:
            make_item()
        for page in (f"/sitemap-{section}.xml", f"/sitemap-{section}.xml?p=2"):
            # How many pairs there are, then the page's items.
            with django_assert_num_queries(2):
                response = client.get(page)
            assert response.status_code == 200
        # Page 2 went from one item to ten.
        assert response.content.count(b"<url>") == min(item_count * 3 - 30, 30)


def test_robots_txt_points_to_the_sitemap_and_keeps_private_pages_out(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: " in text and text.strip().splitlines()[-1].endswith("/sitemap.xml")
    for private in ("Disallow: /admin/", "Disallow: /candidature/", "Disallow: /offres/apercu/"):
        assert private in text


def test_every_open_demo_offer_carries_the_properties_search_engines_ask_for(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    open_offers = list(Offer.objects.open())
    assert len(open_offers) >= 4
    for offer in open_offers:
        [posting] = json_ld(client, offer)
        for key in ("title", "description", "datePosted", "validThrough", "employmentType", "directApply"):
            assert posting[key] not in ("", None, []), (offer.slug, key)
        assert posting["hiringOrganization"]["name"] == offer.organisation.name
        assert posting["hiringOrganization"]["logo"].startswith("http"), offer.slug
        for place in posting["jobLocation"]:
            address = place["address"]
            assert address["addressLocality"] and address["addressRegion"] and address["addressCountry"], offer.slug
        if offer.pay_min is not None:
            assert posting["baseSalary"]["currency"] == "EUR"
        if offer.remote_policy != Offer.RemotePolicy.ON_SITE:
            assert posting["applicantLocationRequirements"], offer.slug
