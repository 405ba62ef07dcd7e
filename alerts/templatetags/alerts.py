from django import template

from alerts.forms import AlertForm

register = template.Library()


@register.inclusion_tag("alerts/_subscribe_box.html")
def alert_box(query: str):
    """The box that subscribes to the list's current search (`query`: its query string without the page)."""
    return {"form": AlertForm(initial={"query": query})}
