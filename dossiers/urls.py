from django.urls import include, path

app_name = "dossiers"
urlpatterns = [
    path("can-bo/", include("dossiers.urls_officer")),
    path("", include("dossiers.urls_citizen")),
]
