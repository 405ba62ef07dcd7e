import functools
from typing import NamedTuple

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils.translation import get_language_info

from jobboard.links import resolver_state


def site(request):
    """The page in each language (for the switcher and hreflang) and its canonical address."""
    path = request.path
    state = resolver_state()
    translations = []
    for code, _name in settings.LANGUAGES:
        translated = translated_path(path, code, state)
        translations.append(
            PageTranslation(code, get_language_info(code)["name_local"], translated, settings.SITE_URL + translated)
        )
    query = request.META.get("QUERY_STRING", "")
    return {
        "SITE_URL": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + path,
        "page_translations": translations,
        "query_suffix": f"?{query}" if query else "",
        "site_links": site_links(state),
    }


# What templates read as `x.name` are objects with attributes, not dicts: Jinja2 tries an attribute
# first, and on a dict that raised and caught an AttributeError each time (fifty times a list page).


class PageTranslation(NamedTuple):
    code: str
    name: str  # the language's own name
    path: str
    absolute: str


class SiteLinks(NamedTuple):
    home: str
    offers: str
    feed_rss: str
    feed_atom: str
    staff: str
    favicon: str
    bootstrap_css: str
    site_css: str


# The addresses base.html links to on every page, reversed once per language: {% url %} and {% static %}
# took 0.2 ms of each page, for the same answers.
@functools.lru_cache(maxsize=64)
def site_links(state: tuple) -> SiteLinks:
    """`state` is only there to be part of the key (`jobboard.links.resolver_state`)."""
    return SiteLinks(
        home=reverse("offers:home"),
        offers=reverse("offers:list"),
        feed_rss=reverse("offers:feed_rss"),
        feed_atom=reverse("offers:feed_atom"),
        staff=reverse("admin:index"),
        favicon=static("favicon.svg"),
        bootstrap_css=static("vendor/bootstrap/bootstrap.min.css"),
        site_css=static("css/site.css"),
    )


@receiver(setting_changed)
def forget_static_links(*, setting, **kwargs):
    """The static files' addresses change with their storage (tests switch it)."""
    if setting in ("STORAGES", "STATIC_URL"):
        site_links.cache_clear()


# Resolving the path and reversing it again costs a sixth of a millisecond per language on every page,
# for the same answer each time: kept per process, for the most recent paths (anyone can ask for any).
@functools.lru_cache(maxsize=4096)
def translated_path(path: str, code: str, state: tuple) -> str:
    """`path` in the language `code`; `state` is only there to be part of the key."""
    return translate_url(path, code)
