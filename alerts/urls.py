from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("alertes/", views.subscribe, name="subscribe"),
    path("alertes/verifiez-vos-e-mails/", views.check_mailbox, name="check_mailbox"),
    path("alertes/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("alertes/se-desabonner/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
