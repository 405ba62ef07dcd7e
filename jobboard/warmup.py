"""What a process otherwise does at its first requests, done once in gunicorn's master, which its
workers fork from (preload_app): compile the site's templates, read the translation catalogues of
every language and fill the URL resolver in each.

Workers are replaced every 200,000 requests or so (gunicorn.conf.py); a new worker's first list page
took 430 ms, 150 ms once this is done before the fork (the rest: its database connection, and the
menus and cards it does not keep yet). Nothing here touches the database: a connection opened in the
master would be shared by every worker."""

from pathlib import Path

from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import reverse
from django.utils import translation

TEMPLATE_SUFFIXES = {".html", ".txt"}


def warm_up():
    # Form widgets are rendered by the form renderer's engine, one of its own by default. The admin's
    # hundreds of templates are left to the staff's first visits: the public pages take the load.
    for engine in {*engines.all(), get_default_renderer().engine}:
        for directory in engine.template_dirs:
            for path in sorted(Path(directory).rglob("*")):
                if path.suffix in TEMPLATE_SUFFIXES and "admin" not in path.relative_to(directory).parts:
                    engine.get_template(str(path.relative_to(directory)))
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Offers")
            reverse("offers:home")
