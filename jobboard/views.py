import sys

from django.conf import settings
from django.contrib import admin
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def not_found(request, **kwargs):
    raise Http404


@require_GET
def robots_txt(request):
    # Private and staff pages stay out of search engines (they are also noindex).
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /candidature/",
        "Disallow: " + reverse("offers:preview", args=[0]).removesuffix("0/"),
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
def staff_locked_out(request, original_response=None, credentials=None):
    """The answer to a login refused by django-axes (AXES_LOCKOUT_CALLABLE), in the admin's frame."""
    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed logins"),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/locked_out.html", context, status=429)


def server_error(request):
    """The page for an uncaught exception: a 503 to retry when the database did not answer (a
    restart, a failover: a transaction in progress was rolled back, and a re-sent application
    is recognised by its submission key), the plain 500 page otherwise."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)
