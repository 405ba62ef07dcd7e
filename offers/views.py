from datetime import datetime
from typing import NamedTuple

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Min, Prefetch, Window
from django.db.models.query import ValuesListIterable
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from jobboard.links import resolver_state, slug_url
from jobboard.prepared import PreparedQuery
from offers.caching import cache_public_page
from offers.cards import offer_cards
from offers.filters import MenuChoiceField, OfferFilter
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
    Unindexed,
    card_keys,
    choice_label,
)
from offers.structured_data import as_json_ld, job_posting, selection_calendar

OFFERS_PER_PAGE = 20


@cache_public_page
def home(request):
    latest = Offer.objects.open().for_card_keys().order_by("-published_at", "-pk")[:6]
    return render(
        request,
        "offers/home.html",
        {
            "latest_cards": offer_cards(latest),
            # Listed by title and deadline: the organisation, no places, no long texts.
            "closing_soon": Offer.objects.closing_within(7).for_cards().order_by("deadline")[:4],
            "recruiting": organisations_recruiting(12),
        },
    )


def organisations_recruiting(how_many: int) -> list[Organisation]:
    """The organisations with the most open offers, each with `open_offers`, in one pass over the
    open offers in the index that finds them (grouped by `+organisation_id`: grouped by the column,
    SQLite read them through the organisation's index instead, row by row, 11 ms instead of 3)."""
    rows = (
        Offer.objects.open()
        .values(organisation_pk=Unindexed("organisation"))
        .annotate(open_offers=Count("pk"), name=Min("organisation__name"), slug=Min("organisation__slug"))
        .order_by("-open_offers", "name")[:how_many]
    )
    recruiting = []
    for row in rows:
        organisation = Organisation.from_db(
            None, ["id", "name", "slug"], [row["organisation_pk"], row["name"], row["slug"]]
        )
        organisation.open_offers = row["open_offers"]
        recruiting.append(organisation)
    return recruiting


@cache_public_page
def offer_list(request):
    # The filter keeps only the public offers (OfferFilter.filter_queryset).
    offer_filter = OfferFilter(request.GET, queryset=Offer.objects.for_card_keys(), request=request)
    paginator = OfferPaginator(offer_filter.qs, OFFERS_PER_PAGE, count_with_page=offer_filter.finds_few)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "offers/offer_list.html",
        {
            "filter": offer_filter,
            "page": page,
            "cards": offer_cards(page),
            "active_filters": active_filters(request, offer_filter),
            "query_without_page": query_without(request, "page"),
        },
    )


class OfferPaginator(Paginator):
    """Counts the offers only up to COUNTED_UP_TO on the pages before it: past a thousand, the exact
    number tells a visitor nothing, and counting 4,000 open offers read every one of them (a third of
    the list page on the benchmark's board). `more_than` then says how many there are at least, and
    the next page is there. A page further on counts them all, as reading it means reading that far."""

    COUNTED_UP_TO = 1000
    # Past any board's last page, the page and its count are not read together: get_page() shows the last
    # page anyway, and the OFFSET of a page such as 10**20 does not even fit in PostgreSQL's bigint.
    READ_WITH_COUNT_UP_TO = 10**6
    limit = None  # how far the count goes, set by get_page(); None: every offer

    def __init__(self, *args, count_with_page=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_with_page = count_with_page
        self.keys_read = {}  # page number: its offers' keys, read with the count

    def get_page(self, number):
        try:
            asked = max(1, int(number))
        except (TypeError, ValueError):  # as Paginator reads it: not a page number, the first page
            asked = 1
        if asked * self.per_page <= self.COUNTED_UP_TO:
            self.limit = self.COUNTED_UP_TO + 1
        if self.count_with_page and asked <= self.READ_WITH_COUNT_UP_TO:
            self.read_page_and_count(asked)
        return super().get_page(number)

    def read_page_and_count(self, number):
        """The page's offers and, in the same query, how many offers there are (COUNT(*) OVER ()): where
        the filter finds few offers, the count and the page each ran the whole search (a place's trigram
        search, on PostgreSQL), and the count then costs nothing more. Past the last page, nothing is read:
        get_page() counts, and shows the last page, as without."""
        bottom = (number - 1) * self.per_page
        counted = self.object_list.annotate(offers_found=Window(Count("pk")))
        counted._iterable_class = ValuesListIterable
        rows = list(counted[bottom : bottom + self.per_page])
        if rows:
            self.keys_read[number] = list(card_keys(rows))
            self.count = rows[0][-1]  # the cached_property's value

    def page(self, number):
        number = self.validate_number(number)
        if number in self.keys_read:
            return self._get_page(self.keys_read[number], number, self)
        bottom = (number - 1) * self.per_page
        top = self.count if bottom + self.per_page + self.orphans >= self.count else bottom + self.per_page
        if self.limit is None and self.count - top < bottom:
            # Nearer the end than the start: read from the end, in the reverse order, and turn the page
            # round. OFFSET reads every row it skips: the last page of 4,000 open offers took 1.3 ms of
            # PostgreSQL; from the end, it skips a few. Only where the count is exact (limit None).
            from_the_end = self.object_list.reverse()[self.count - top : self.count - bottom]
            return self._get_page(list(from_the_end)[::-1], number, self)
        return super().page(number)

    @cached_property
    def count(self):
        # COUNT(*) around the SQL of the offers' ids (up to the limit): QuerySet.count() made the same
        # statement through an aggregate query around a copy of the offers' query, which cost 0.8 M
        # instructions of each list page.
        counted = self.object_list.order_by().values_list("pk")[: self.limit]
        try:
            sql, params = counted.query.sql_with_params()
        except EmptyResultSet:  # a filter that can find nothing (a level with no group)
            return 0
        with connections[counted.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)
            return cursor.fetchone()[0]

    @property
    def more_than(self) -> int | None:
        """At least how many offers there are, when not all were counted."""
        return self.COUNTED_UP_TO if self.limit is not None and self.count >= self.limit else None


def query_without(request, name, value=None) -> str:
    """The current query string without `name` (or only without that one value)."""
    query = request.GET.copy()
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    query.pop("page", None)
    return query.urlencode()


def active_filters(request, offer_filter) -> list[dict]:
    """Each filter in use, with the query string that removes it."""
    if not offer_filter.is_bound or not hasattr(offer_filter.form, "cleaned_data"):
        return []
    active = []
    for name, value in offer_filter.form.cleaned_data.items():
        if name == "sort" or value in (None, "", False, []):
            continue
        field = offer_filter.form.fields[name]
        if name == "contract":
            choices = dict(field.choices)
            for item in value:
                active.append(
                    {"label": field.label, "value": choices[item], "remove": query_without(request, name, item)}
                )
            continue
        if value is True:
            shown = ""
        elif isinstance(field, MenuChoiceField):
            shown = field.name_of(value)
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            shown = dict(field.choices).get(value, value)
        else:
            shown = str(value)
        active.append({"label": field.label, "value": shown, "remove": query_without(request, name)})
    return active


# Built and compiled once per process (see jobboard.prepared): the same query for every offer.
published_offer_page = PreparedQuery(
    lambda slug, now: Offer.objects.published(now).for_offer_page(now).filter(slug=slug), slug=str, now=datetime
)


@cache_public_page
def offer_detail(request, slug):
    found = published_offer_page(slug=slug, now=timezone.now())
    if not found:
        raise Http404("No published offer at this address.")
    return render(request, "offers/offer_detail.html", offer_context(found[0]))


@staff_member_required
def offer_preview(request, pk):
    """The public page of any offer of the user's organisations, drafts included."""
    offer = get_object_or_404(Offer.objects.for_user(request.user).for_offer_page(), pk=pk)
    response = render(request, "offers/offer_detail.html", offer_context(offer, preview=True))
    response["X-Robots-Tag"] = "noindex"
    return response


def offer_calendar(request, slug):
    """The offer's selection calendar, to add to one's own calendar."""
    offer = get_object_or_404(Offer.objects.published().select_related("organisation"), slug=slug)
    response = HttpResponse(selection_calendar(offer, request.get_host()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{offer.slug}.ics"'
    return response


class OtherOffer(NamedTuple):
    """Another open offer of the organisation, as its offer page lists it (`Offer.other_open_offers`)."""

    title: str
    url: str
    contract: str
    deadline: datetime


def offer_context(offer, preview=False) -> dict:
    """The page of an offer from `OfferQuerySet.for_offer_page()`, what it shows worked out once, in the
    request's language: some facts are shown two or three times, and choices' labels cost (`choice_label`)."""
    is_open = offer.is_open
    links = resolver_state()
    offer_url = slug_url("offers:detail", offer.slug, links)
    sections = offer.sections()
    # Search engines get the posting while it takes applications, and never a draft.
    job_posting_json = as_json_ld(job_posting(offer, sections, offer_url)) if is_open and not preview else None
    group = offer.group

    heading_format = _("%(label)s:")  # "Seat:", "Dutch:", as items of the lists of places and languages start

    def heading(label):
        return heading_format % {"label": label}

    def label(choices, value):
        return choice_label(choices, value, links.language)

    return {
        "offer": offer,
        "preview": preview,
        "job_posting_json": job_posting_json,
        "is_open": is_open,
        "accent_class": offer.organisation.accent_class,
        "organisation_url": slug_url("offers:organisation", offer.organisation.slug, links),
        "group_url": slug_url("offers:group", group.slug, links) if group else "",
        "calendar_url": slug_url("offers:calendar", offer.slug, links),
        "apply_url": slug_url("applications:apply", offer.slug, links),
        "institution_level": label(Institution.Level, group.institution.level).lower() if group else "",
        "display_title": offer.display_title,
        "contract": label(Offer.ContractType, offer.contract_type),
        "language": label(Language, offer.language),
        "travel": label(Offer.Travel, offer.travel),
        "places_display": offer.places_display(),
        "pay_summary": offer.pay_summary(),
        "start_display": offer.start_display(),
        "end_display": offer.end_display(),
        "sections": sections,
        "selection_calendar": offer.selection_calendar(),
        "documents_asked": offer.documents_asked(),
        "places": [(place, heading(label(Place.Kind, place.kind))) for place in offer.places.all()],
        "benefits": [(benefit, label(Benefit.Kind, benefit.kind)) for benefit in offer.benefits.all()],
        "required_languages": [
            (
                required,
                heading(label(Language, required.language)),
                label(RequiredLanguage.Level, required.level),
            )
            for required in offer.languages.all()
        ],
        "other_offers": [
            OtherOffer(title, slug_url("offers:detail", slug, links), label(Offer.ContractType, contract), deadline)
            for title, slug, contract, deadline in offer.other_open_offers
        ],
    }


@cache_public_page
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    offers = Offer.objects.open().for_organisation_page(organisation).for_card_keys().order_by("deadline", "pk")
    return render(
        request,
        "offers/organisation_detail.html",
        {
            "organisation": organisation,
            "cards": offer_cards(offers),
            "stories": organisation.stories.published(),
            "groups": PoliticalGroup.objects.filter(organisation=organisation).select_related("institution"),
        },
    )


@cache_public_page
def group_detail(request, slug):
    group = get_object_or_404(
        PoliticalGroup.objects.select_related("institution", "organisation").prefetch_related(
            Prefetch("composition", queryset=GroupComposition.objects.select_related("party"))
        ),
        slug=slug,
    )
    offers = Offer.objects.open().filter(group=group).for_card_keys().order_by("deadline", "pk")
    return render(request, "offers/group_detail.html", {"group": group, "cards": offer_cards(offers)})


@cache_public_page
def story_detail(request, organisation_slug, slug):
    story = get_object_or_404(
        Story.objects.published().select_related("organisation"), organisation__slug=organisation_slug, slug=slug
    )
    other_stories = story.organisation.stories.published().exclude(pk=story.pk)
    return render(request, "offers/story_detail.html", {"story": story, "other_stories": other_stories})


@require_safe
def accent_stylesheet(request, slug):
    """The organisation's accent colour as the class its pages use (Organisation.accent_class).

    Pages link it with its version in the query string: browsers keep that address for good, and a new
    colour is a new address. Another version (a page cached before the colour changed) gets the current
    colour, which browsers check again at each use, a 304 while it stays the same.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    if not organisation.accent_class:
        raise Http404
    response = HttpResponse(organisation.accent_css(), content_type="text/css; charset=utf-8")
    response["ETag"] = f'"{organisation.accent_version}"'
    if request.GET.get("v") == organisation.accent_version:
        patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    return get_conditional_response(request, etag=response["ETag"], response=response)
