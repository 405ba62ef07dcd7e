from django.contrib.sitemaps import Sitemap as DjangoSitemap

from offers.models import Offer, Organisation, PoliticalGroup, Story


class Sitemap(DjangoSitemap):
    # Every page in each language, with its alternates (hreflang) and x-default.
    i18n = True
    alternates = True
    x_default = True


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
