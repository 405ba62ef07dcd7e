"""RSS and Atom feeds of open offers: all of them, one organisation's, or the
feed of any search (the list's query string applies to the feed as is)."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from jobboard.dates import format_date
from offers.filters import OfferFilter
from offers.models import Offer, Organisation, choice_label

FEED_LENGTH = 50


@dataclass
class FeedScope:
    offers: list
    title: str
    link: str


class OfferRssFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The feed is written a few bytes at a time, each a chunk that gunicorn sent in a packet of
        # its own: 10 ms to deliver 25 kB, cached or not. One chunk goes out at once.
        response.content = response.content
        return response

    def get_object(self, request, slug=None):
        if slug is None:
            # The filter keeps only the public offers (OfferFilter.filter_queryset).
            offer_filter = OfferFilter(request.GET, queryset=Offer.objects.with_card_data(), request=request)
            query = request.GET.urlencode()
            link = reverse("offers:list") + (f"?{query}" if query else "")
            title = _("Offers matching your search") if query else _("All open offers")
            return FeedScope(list(offer_filter.qs[:FEED_LENGTH]), title, link)
        organisation = get_object_or_404(Organisation, slug=slug)
        offers = Offer.objects.open().for_organisation_page(organisation).with_card_data().order_by("-published_at")
        title = _("Open offers at %(name)s") % {"name": organisation.name}
        return FeedScope(list(offers[:FEED_LENGTH]), title, organisation.get_absolute_url())

    def title(self, scope):
        return f"{scope.title} · jobboard"

    def link(self, scope):
        return scope.link

    def description(self, scope):
        return _("Jobs with political parties, youth wings, foundations and political groups.")

    def items(self, scope):
        return scope.offers

    def item_title(self, offer):
        return offer.display_title

    def item_description(self, offer):
        employer = offer.organisation.name + (f" · {offer.group.name}" if offer.group_id else "")
        facts = [
            employer,
            choice_label(Offer.ContractType, offer.contract_type),
            offer.places_display(),
            offer.pay_summary(),
            _("Deadline: %(date)s") % {"date": format_date(timezone.localtime(offer.deadline), "DATE_FORMAT")}
            if offer.deadline
            else "",
        ]
        return " · ".join(fact for fact in facts if fact)

    def item_pubdate(self, offer):
        return offer.published_at

    def item_updateddate(self, offer):
        return offer.updated_at

    def item_categories(self, offer):
        return [choice_label(Offer.ContractType, offer.contract_type)]


class OfferAtomFeed(OfferRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, scope):
        return self.description(scope)
