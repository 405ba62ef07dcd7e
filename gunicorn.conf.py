"""gunicorn settings, read from the environment: `gunicorn -c gunicorn.conf.py jobboard.wsgi`."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Each worker is replaced after this many requests (give or take the jitter, so that they
# do not all restart at once): memory a long-lived process gathers is given back.
max_requests = 1000
max_requests_jitter = 100
# Only these addresses (the proxy in front) may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
