from django.urls import path

from offers import views
from offers.caching import cache_public_page
from offers.feeds import OfferAtomFeed, OfferRssFeed

app_name = "offers"
urlpatterns = [
    path("", views.home, name="home"),
    path("offres/", views.offer_list, name="list"),
    path("offres/flux.rss", cache_public_page(OfferRssFeed()), name="feed_rss"),
    path("offres/flux.atom", cache_public_page(OfferAtomFeed()), name="feed_atom"),
    path("offres/apercu/<int:pk>/", views.offer_preview, name="preview"),
    path("offres/<slug:slug>/", views.offer_detail, name="detail"),
    path("offres/<slug:slug>/calendrier.ics", views.offer_calendar, name="calendar"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/flux.rss", cache_public_page(OfferRssFeed()), name="organisation_feed_rss"),
    path("organisations/<slug:slug>/flux.atom", cache_public_page(OfferAtomFeed()), name="organisation_feed_atom"),
    path("organisations/<slug:organisation_slug>/temoignages/<slug:slug>/", views.story_detail, name="story"),
    path("groupes/<slug:slug>/", views.group_detail, name="group"),
]
