from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max

from offers.models import Offer, Organisation, PoliticalGroup, Story


class Sitemap(DjangoSitemap):
    # Every page in each language, with its alternates (hreflang) and x-default.
    i18n = True
    alternates = True
    x_default = True
    # Items per sitemap page (each in three languages with four alternates): /sitemap.xml is an
    # index of such pages, which keeps each one small and quick to build at 10,000 offers.
    limit = 500

    def get_latest_lastmod(self):
        # For the index. Django would call lastmod() on every item; the database knows at once.
        if not hasattr(self, "lastmod"):
            return None
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class OfferSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Offer.objects.published().order_by("-published_at", "pk")

    def lastmod(self, offer):
        return offer.updated_at


class OrganisationSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Organisation.objects.order_by("pk")

    def lastmod(self, organisation):
        return organisation.updated_at


class GroupSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return PoliticalGroup.objects.order_by("pk")


class StorySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Story.objects.published().select_related("organisation").order_by("pk")

    def lastmod(self, story):
        return story.updated_at


SITEMAPS = {
    "offers": OfferSitemap,
    "organisations": OrganisationSitemap,
    "groups": GroupSitemap,
    "stories": StorySitemap,
}
