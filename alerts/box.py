"""The box on the offer list that subscribes to its search."""

import functools
from html import escape

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from alerts.forms import AlertForm

# Where the search goes in the box's markup, which is otherwise the same on every list page.
QUERY_SLOT = "alert-box-query-slot"


def alert_box(query: str):
    """The box that subscribes to the list's current search (`query`: its query string without the page)."""
    return mark_safe(empty_alert_box(get_language()).replace(QUERY_SLOT, escape(query)))  # the query escaped


@functools.cache
def empty_alert_box(language: str) -> str:
    """The box's markup in `language`, made once per process: crispy-forms took 3 ms to lay
    out this form, on every list page the page cache misses."""
    return render_to_string("alerts/_subscribe_box.html", {"form": AlertForm(initial={"query": QUERY_SLOT})})
