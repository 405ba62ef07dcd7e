"""gunicorn settings, read from the environment: `gunicorn -c gunicorn.conf.py jobboard.wsgi`."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# The site is loaded once in the master and workers fork from it: a worker starts in
# milliseconds instead of importing everything again (over a second of CPU).
preload_app = True
# Each worker is replaced after this many requests (give or take the jitter, so that they
# do not all restart at once): memory a long-lived process gathers is given back. At 1,000,
# a busy hour of cached pages (over 1,000 requests a second) restarted a worker every second.
max_requests = 20000
max_requests_jitter = 2000


# Only these addresses (the proxy in front) may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"


def when_ready(server):
    """Before the workers fork: what each would do at its first requests (jobboard.warmup)."""
    if server.cfg.preload_app:
        from jobboard.warmup import warm_up

        warm_up()
