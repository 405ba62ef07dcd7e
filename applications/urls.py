from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("offres/<slug:slug>/postuler/", views.apply, name="apply"),
    path("organisations/<slug:slug>/candidature-spontanee/", views.spontaneous, name="spontaneous"),
    path("organisations/<slug:slug>/demande-de-stage/", views.internship, name="internship"),
    path("candidature/envoyee/", views.sent, name="sent"),
    path("candidature/effacee/", views.erased, name="erased"),
    path("candidature/<str:token>/", views.private, name="private"),
    path("candidature/<str:token>/retirer/", views.withdraw, name="withdraw"),
    path("candidature/<str:token>/effacer/", views.erase, name="erase"),
]
