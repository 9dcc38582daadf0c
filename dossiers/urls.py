from django.urls import include, path

app_name = "dossiers"
urlpatterns = [
    path("", include("dossiers.urls_citizen")),
    path("can-bo/", include("dossiers.urls_officer")),
]
