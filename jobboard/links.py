"""Addresses of the public pages, without paying for `reverse()` each time.

`reverse()` costs tens of microseconds, and an offer page asks for a dozen addresses (its organisation,
its group, the group's parties, the other offers…), a feed for fifty, a sitemap page for five hundred,
each time the same route with another slug.
"""

import functools
import re
from typing import NamedTuple

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.urls.converters import SlugConverter
from django.utils.translation import get_language

SLUG = re.compile(SlugConverter.regex)  # what the routes' <slug:…> accept
STAND_IN = "slug-stand-in"


class ResolverState(NamedTuple):
    language: str
    default_language: str
    urlconf: str
    script_prefix: str


def resolver_state() -> ResolverState:
    """What `reverse()` answers with, besides its arguments: the active and default languages (the
    language prefix), the URLconf and the script prefix. Memos of addresses are keyed on it."""
    return ResolverState(
        get_language(), settings.LANGUAGE_CODE, get_urlconf(settings.ROOT_URLCONF), get_script_prefix()
    )


def slug_url(viewname: str, slug: str, state: ResolverState | None = None) -> str:
    """`reverse(viewname, args=[slug])`, for a route whose only argument is a slug. A page that links
    to many passes the `resolver_state()` it read once: reading it costs as much as the rest."""
    if not SLUG.fullmatch(slug):  # reverse() refuses it, or would quote it: let it
        return reverse(viewname, args=[slug])
    before, after = route_around_slug(viewname, state or resolver_state())
    return f"{before}{slug}{after}"


@functools.lru_cache(maxsize=256)
def route_around_slug(viewname: str, state: ResolverState) -> tuple[str, str]:
    """The address of `viewname` before and after its slug; `state` is only there to be part of the key."""
    before, _, after = reverse(viewname, args=[STAND_IN]).partition(STAND_IN)
    return before, after
