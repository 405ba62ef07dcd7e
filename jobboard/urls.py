from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from applications.admin import dashboard_index
from jobboard import two_factor, views
from offers.caching import cache_public_page
from offers.sitemaps import SITEMAPS
from offers.views import accent_stylesheet

handler500 = "jobboard.views.server_error"

admin.site.site_header = _("jobboard: staff area")
admin.site.site_title = _("jobboard staff area")
admin.site.index_title = _("Recruiting")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Outside the language prefixes: one address, one cached copy, whatever the page's language.
    path("organisations/<slug:slug>/accent.css", accent_stylesheet, name="accent_stylesheet"),
    path(
        "sitemap.xml",
        cache_public_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", cache_public_page(sitemaps.sitemap), {"sitemaps": SITEMAPS}, name="sitemap_section"),
    # The admin's "view on site" shortcut redirects to any object's public URL
    # without asking whose it is, which would reveal other organisations' drafts.
    path("admin/r/<path:anything>", views.not_found),
    # The admin's index with the recruiting dashboard (see applications.admin.dashboard_index).
    path("admin/", admin.site.admin_view(dashboard_index)),
    # Staff members' two-factor authentication, ahead of the admin's catch-all.
    path("admin/two-factor/", include((two_factor.urlpatterns, "two_factor"))),
    path("admin/", admin.site.urls),
]
# French pages have no prefix; /nl/… and /en/… are the same pages in Dutch and English.
urlpatterns += i18n_patterns(
    path("", include("offers.urls")),
    path("", include("applications.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    # Public media (logos, story photos) in development; production serves
    # MEDIA_ROOT from its web server or object storage.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
