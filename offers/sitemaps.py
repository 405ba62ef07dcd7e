from operator import attrgetter

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from offers.models import Offer, Organisation, PoliticalGroup, Story


class ItemsInEachLanguage:
    """The (item, language) pairs an i18n sitemap is paginated over, read a page at a time.

    Django lists the pairs for the whole queryset in memory to cut one page out of them; this
    counts them in the database and fetches only the items of the page asked for."""

    def __init__(self, items, languages):
        self.items = items
        self.languages = languages

    def count(self):
        return self.items.count() * len(self.languages)

    def __getitem__(self, pairs):
        # The paginator only ever asks for one page: pairs[start:stop].
        per_item = len(self.languages)
        first_item = pairs.start // per_item
        end_item = -(-pairs.stop // per_item)
        # The page's primary keys first, sorted from an index, then only those rows: sorting the
        # rows themselves reads every one in full (an offer's long texts come before updated_at).
        page_items = self.items.filter(pk__in=self.items.values("pk")[first_item:end_item])
        page_pairs = [(item, language) for item in page_items for language in self.languages]
        skipped = first_item * per_item
        return page_pairs[pairs.start - skipped : pairs.stop - skipped]


class Sitemap(DjangoSitemap):
    # Every page in each language, with its alternates (hreflang) and x-default.
    i18n = True
    alternates = True
    x_default = True
    # (item, language) pairs per sitemap page, each with four alternates: /sitemap.xml is an
    # index of such pages, which keeps each one small and quick to build at 10,000 offers.
    # get_urls() and the paginator below build these pages as Django would, only faster.
    limit = 500

    # An item's address, as its get_absolute_url() gives it: `url_name` reversed with the item's
    # `url_fields` (attribute paths) as arguments.
    url_name = None
    url_fields = ("slug",)

    @property
    def paginator(self):
        # Every item is listed in every language (get_languages_for_item is not overridden).
        return Paginator(ItemsInEachLanguage(self.items(), self._languages()), self.limit)

    def get_urls(self, page=1, site=None, protocol=None):
        """The page's entries, as Django's Sitemap.get_urls() gives them (same XML), built faster.

        Django reverses an item's address anew for its entry in each language and for each of its
        alternates, every time inside translation.override(), and the template then escapes each
        address. Here one reverse() per language gives an escaped format of the addresses; an
        item's addresses are formatted once, and shared by its entries as their alternates."""
        url_formats = self._url_formats(f"{self.get_protocol(protocol)}://{self.get_domain(site)}")
        lastmod = getattr(self, "lastmod", None)
        changefreq = getattr(self, "changefreq", None)
        priority = getattr(self, "priority", None)
        priority = str(priority if priority is not None else "")
        entries = []
        item_urls = alternates = previous_item = None
        for item, language in self.paginator.page(page).object_list:
            if item is not previous_item:
                previous_item = item
                arguments = tuple(attrgetter(field)(item) for field in self.url_fields)
                item_urls = {code: mark_safe(url_format % arguments) for code, url_format in url_formats.items()}
                alternates = self._alternates(item_urls)
            entries.append(
                {
                    "item": (item, language),
                    "location": item_urls[language],
                    "lastmod": lastmod(item) if lastmod else None,
                    "changefreq": changefreq,
                    "priority": priority,
                    "alternates": alternates,
                }
            )
        # The Last-Modified header of the page, as Django sets it: only if every entry has a lastmod.
        lastmods = [entry["lastmod"] for entry in entries]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return entries

    def _url_formats(self, origin):
        """Per language, the items' escaped absolute URL with %s for each of their `url_fields`
        (slugs, which need neither quoting nor escaping)."""
        placeholders = [f"sitemap-argument-{position}" for position in range(len(self.url_fields))]
        url_formats = {}
        for language in self._languages():
            with translation.override(language):
                url = escape(origin + reverse(self.url_name, args=placeholders)).replace("%", "%%")
            for placeholder in placeholders:
                url = url.replace(placeholder, "%s")
            url_formats[language] = url
        return url_formats

    def _alternates(self, item_urls):
        if not self.alternates:
            return []
        alternates = [{"location": url, "lang_code": code} for code, url in item_urls.items()]
        if self.x_default and settings.LANGUAGE_CODE in item_urls:
            # Django's own rule: the default language's address, without its prefix (if any).
            default_url = item_urls[settings.LANGUAGE_CODE].replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
            alternates.append({"location": mark_safe(default_url), "lang_code": "x-default"})
        return alternates

    def get_latest_lastmod(self):
        # For the index. Django would call lastmod() on every item; the database knows at once.
        if not hasattr(self, "lastmod"):
            return None
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class OfferSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    url_name = "offers:detail"

    def items(self):
        return Offer.objects.published().order_by("-published_at", "pk").only("slug", "updated_at")

    def lastmod(self, offer):
        return offer.updated_at


class OrganisationSitemap(Sitemap):
    changefreq = "weekly"
    url_name = "offers:organisation"

    def items(self):
        return Organisation.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, organisation):
        return organisation.updated_at


class GroupSitemap(Sitemap):
    changefreq = "monthly"
    url_name = "offers:group"

    def items(self):
        return PoliticalGroup.objects.order_by("pk").only("slug")


class StorySitemap(Sitemap):
    changefreq = "monthly"
    url_name = "offers:story"
    url_fields = ("organisation.slug", "slug")

    def items(self):
        return (
            Story.objects.published()
            .select_related("organisation")
            .order_by("pk")
            .only("slug", "updated_at", "organisation__slug")
        )

    def lastmod(self, story):
        return story.updated_at


SITEMAPS = {
    "offers": OfferSitemap,
    "organisations": OrganisationSitemap,
    "groups": GroupSitemap,
    "stories": StorySitemap,
}
