from django.http import HttpResponse
from django.urls import path

import jobboard.urls


def bare(request):
    """The ceiling: every middleware of the site, then a view that does nothing."""
    return HttpResponse("OK", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *jobboard.urls.urlpatterns]
