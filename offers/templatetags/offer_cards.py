from django import template

from offers.cards import offer_cards

register = template.Library()


@register.simple_tag
def offer_card(offer):
    """One offer's card, kept as offers.cards keeps them."""
    [card] = offer_cards([offer])
    return card
