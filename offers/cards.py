"""Offer cards, rendered once and kept: a list shows twenty of them, and rendering
them was a third of the list page's time.

A card is kept under everything it shows that can change: the public content's
generation (any save, see offers.caching), the language, the day (days left) and
whether the offer is still open (its deadline passing changes no row).
"""

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from offers.caching import current_generation
from offers.models import Offer

CARD_SECONDS = 3600


def offer_cards(offers) -> list[str]:
    """The card of each offer, in order. The offers may come as the keys of their cards
    (`OfferQuerySet.for_card_keys`): those whose card is not kept are then loaded for it, in two
    queries (offers, places); offers that came loaded `for_cards()` cost one (places)."""
    offers = list(offers)
    prefix = f"offer-card:{current_generation()}:{get_language()}:{timezone.localdate().isoformat()}"
    keys = {offer.pk: f"{prefix}:{offer.pk}:{offer.is_open}" for offer in offers}
    kept = cache.get_many(keys.values())
    missing = [offer for offer in offers if keys[offer.pk] not in kept]
    if missing:
        made = {
            # Marked safe: a Jinja2 template's render_to_string() is a plain str, which the page would escape.
            keys[offer.pk]: mark_safe(render_to_string("offers/_offer_card.html", {"offer": offer}))
            for offer in loaded_for_cards(missing)
        }
        cache.set_many(made, CARD_SECONDS)
        kept.update(made)
    return [kept[keys[offer.pk]] for offer in offers]


def loaded_for_cards(offers) -> list:
    """`offers` with what their cards show: fetched again unless they came with it."""
    if any(not isinstance(offer, Offer) or "title" in offer.get_deferred_fields() for offer in offers):
        loaded = Offer.objects.for_cards().in_bulk([offer.pk for offer in offers])
        offers = [loaded[offer.pk] for offer in offers]
    prefetch_related_objects(offers, "places")
    return offers
