"""Whole public pages cached for anonymous visitors.

A cached page is keyed on the public content's *generation*, which every save or
deletion of what public pages show moves on (see `PublicContent`), so a change
in the admin shows at once. A page is also never kept past the next moment the
public content changes by itself: an open offer's deadline, a scheduled offer's
publication, or midnight (pages say "closes tomorrow"). So a closed offer is
never served as open, whatever PAGE_CACHE_SECONDS says.

Only what every visitor sees alike is cached: GET and HEAD, no session and no
flash message waiting, no cookie set by the response, a 200.
"""

import functools
import hashlib
from datetime import datetime, time, timedelta

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import Min, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"
# Longer query strings are someone's experiment, not a page worth keeping.
MAX_CACHED_QUERY_LENGTH = 300


def public_content_changed():
    """Forget every cached public page (they are keyed on the generation)."""
    _read_in_request.generation = None  # a request that saves reads the new one afterwards
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or evicted: any new value forgets the old pages
        cache.set(GENERATION_KEY, int(timezone.now().timestamp() * 1000), timeout=None)


def next_public_change(now: datetime | None = None) -> datetime:
    """When public pages next change with nobody saving anything: an open offer's
    deadline, a scheduled publication, or the next local midnight."""
    from offers.models import Offer

    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    moments = [timezone.make_aware(datetime.combine(tomorrow, time.min))]
    upcoming = Offer.objects.filter(
        status__in=[Offer.Status.SCHEDULED, Offer.Status.PUBLISHED, Offer.Status.CLOSED]
    ).aggregate(
        deadline=Min(
            "deadline", filter=Q(deadline__gt=now, status__in=[Offer.Status.SCHEDULED, Offer.Status.PUBLISHED])
        ),
        publication=Min("published_at", filter=Q(published_at__gt=now)),
    )
    moments += [moment for moment in upcoming.values() if moment is not None]
    return min(moments)


def seconds_until_next_change(generation) -> int:
    """Whole seconds, rounded down, until `next_public_change()`: a page kept this long is
    gone at that moment, not a second after. Looked up once per generation."""
    key = f"public-pages:{generation}:next-change"
    moment = cache.get(key)
    now = timezone.now()
    if moment is None or moment <= now:
        moment = next_public_change(now)
        cache.set(key, moment, timeout=max(1, int((moment - now).total_seconds())))
    return max(0, int((moment - now).total_seconds()))


# The generation read once per request: a list page asks for it five times (its page's, its cards' and
# its menus' keys), each a round trip to the cache server in production. Outside a request (a task, a
# command) it is read at each call, as nothing there would forget it.
_read_in_request = Local()


def current_generation():
    generation = getattr(_read_in_request, "generation", None)
    if generation is None:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            public_content_changed()
            generation = cache.get(GENERATION_KEY)
        if getattr(_read_in_request, "in_request", False):
            _read_in_request.generation = generation
    return generation


@receiver(request_started)
def _request_started(**kwargs):
    _read_in_request.in_request, _read_in_request.generation = True, None


@receiver(request_finished)
def _request_finished(**kwargs):
    _read_in_request.in_request, _read_in_request.generation = False, None


def _cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY_LENGTH
    )


def _page_key(request, generation) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-pages:{generation}:{get_language()}:{path}"


def cache_public_page(view):
    """Serve `view` from the cache to anonymous visitors; see the module's docstring."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        generation = current_generation()
        key = _page_key(request, generation)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            timeout = min(settings.PAGE_CACHE_SECONDS, seconds_until_next_change(generation))
            if timeout > 0:
                cache.set(key, response, timeout)
        return response

    return wrapper


class PublicContent:
    """For models whose rows public pages show: saving or deleting one forgets the cached pages.

    Bulk `QuerySet.update()` and `delete()` bypass these; call
    `forget_public_pages()` after them (places do it themselves: offers.models.PlaceQuerySet).
    """

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget_public_pages()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_public_pages()
        return result


def forget_public_pages():
    """Forget the cached pages now, and again once the change is committed: a page
    rendered from the old rows in between must not outlive the transaction."""
    public_content_changed()
    transaction.on_commit(public_content_changed)
