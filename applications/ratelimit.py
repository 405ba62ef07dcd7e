"""How many application forms one client address may send: a fixed window in Django's cache.

The count lives in the default cache, so the limit holds across processes only
when that cache is shared (Redis, Memcached, the database cache).
Behind proxies, TRUSTED_PROXY_COUNT says how many: the address counted is then
taken from X-Forwarded-For (see client_address).
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost
    one saw, the Nth of X-Forwarded-For from the right.

    Each proxy appends the address it received from; anything further left was sent by the client and
    may be made up. REMOTE_ADDR is used when the header is missing or shorter than the count.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if count > 0 and len(forwarded) >= count and forwarded[-count]:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def hit(request, scope: str = "apply") -> int | None:
    """Count one submission from the request's address; the seconds to wait when over the limit, else None."""
    now = int(time.time())
    window = now // WINDOW_SECONDS
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    if count > settings.APPLICATION_RATE_LIMIT:
        return (window + 1) * WINDOW_SECONDS - now
    return None
