"""Job titles as written and as read aloud.

Titles keep their inclusive forms as written ("Chargé·e de mission"); screen
readers stumble on the middle dot, so pages also carry a spoken form with
both words ("Chargé ou chargée de mission"). Country gender mentions
("h/f/x", "H/F") are added where the organisation asks for one.
"""

import re

# A word, then an inclusive ending after a middle dot, a dot, a hyphen or in brackets.
INCLUSIVE_WORD = re.compile(
    r"(?P<base>\w+)(?:[·•.\-]|\()(?P<ending>es|e|trice|rice|euse|ne|le|fe|ve)\)?(?=\W|$)", re.IGNORECASE
)
GENDER_MENTION = re.compile(r"\(?\b(?:h\s*/\s*f|f\s*/\s*h|m\s*/\s*v)(?:\s*/\s*x)?\b\)?", re.IGNORECASE)


def feminine(base: str, ending: str) -> tuple[str, str]:
    """(masculine, feminine) of an inclusive word."""
    ending = ending.lower()
    if ending == "es":
        return f"{base}s", f"{base}es"
    if ending == "trice" and base.lower().endswith("teur"):
        return base, base[:-4] + "trice"
    if ending in ("rice", "euse") and base.lower().endswith("eur"):
        return base, base[:-3] + ending
    if ending in ("fe", "ve") and base.lower().endswith("f"):
        return base, base[:-1] + "ve"
    return base, base + ending


def spoken(title: str) -> str:
    """The title with each inclusive word said in full, and no gender mention."""

    def expand(match):
        masculine, feminine_form = feminine(match["base"], match["ending"])
        return f"{masculine} ou {feminine_form.lower() if masculine[0].isupper() else feminine_form}"

    text = INCLUSIVE_WORD.sub(expand, GENDER_MENTION.sub("", title))
    return " ".join(text.split())


def has_gender_mention(title: str) -> bool:
    return bool(GENDER_MENTION.search(title))
