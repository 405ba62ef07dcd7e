"""The candidate's private link (/candidature/<token>/) is the candidate's alone:
staff pages, the outbox once it no longer needs it, and the logs show it redacted."""

import logging
import re

# Tokens are 43 characters (secrets.token_urlsafe(32)).
PRIVATE_LINK = re.compile(r"/candidature/[A-Za-z0-9_-]{20,}/")


def redact(text: str) -> str:
    return PRIVATE_LINK.sub("/candidature/…/", text)


class RedactPrivateLinks(logging.Filter):
    """Django logs the path of every 4xx and 5xx ("Bad Request: /candidature/<token>/effacer/")."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
