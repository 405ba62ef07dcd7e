from django.urls import path

from offers import views

app_name = "offers"
urlpatterns = [
    path("", views.home, name="home"),
    path("offres/", views.offer_list, name="list"),
    path("offres/apercu/<int:pk>/", views.offer_preview, name="preview"),
    path("offres/<slug:slug>/", views.offer_detail, name="detail"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:organisation_slug>/temoignages/<slug:slug>/", views.story_detail, name="story"),
    path("groupes/<slug:slug>/", views.group_detail, name="group"),
]
