"""How many application forms one client address may send: a fixed window in Django's cache.

The count lives in the default cache, so the limit holds across processes only
when that cache is shared (Redis, Memcached, the database cache).
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def hit(request, scope: str = "apply") -> int | None:
    """Count one submission from the request's address; the seconds to wait when over the limit, else None."""
    now = int(time.time())
    window = now // WINDOW_SECONDS
    key = f"ratelimit:{scope}:{request.META.get('REMOTE_ADDR', '')}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    if count > settings.APPLICATION_RATE_LIMIT:
        return (window + 1) * WINDOW_SECONDS - now
    return None
