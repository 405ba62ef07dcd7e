"""Markdown written by staff, rendered to HTML that is safe to put on a page."""

import functools

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# What Markdown produces for prose: no images, no raw HTML that could script.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote",
    "h3", "h4", "h5", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


# The same text always gives the same HTML: kept per process, an offer's page does not
# convert and sanitise its four sections again for each visitor.
@functools.lru_cache(maxsize=2048)
def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
