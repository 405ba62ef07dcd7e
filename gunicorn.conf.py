"""gunicorn settings, read from the environment: `gunicorn -c gunicorn.conf.py jobboard.wsgi`."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# The site is loaded once in the master and workers fork from it: a worker starts in
# milliseconds instead of importing everything again (over a second of CPU).
preload_app = True
# Each worker is replaced after this many requests (give or take the jitter, so that they
# do not all restart at once): memory a long-lived process gathers is given back. A new worker
# starts cold (its database connection, what it keeps in memory, the whole page cache without
# Redis): at 20,000, `make bench`'s 2,000 cached pages a second restarted one every 10 seconds,
# and each restart put 100 ms into the p99 of the page being loaded (budget: 50 ms).
max_requests = 200000
max_requests_jitter = 20000


# Only these addresses (the proxy in front) may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"


def when_ready(server):
    """Before the workers fork: what each would do at its first requests (jobboard.warmup)."""
    if server.cfg.preload_app:
        from jobboard.warmup import warm_up

        warm_up()
