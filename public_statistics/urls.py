from django.urls import path

from public_statistics import reports, views

app_name = "public_statistics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("theo/<slug:dimension>/", views.breakdown, name="breakdown"),
    path("ban-do/", views.commune_map, name="map"),
    path("bao-cao-thang/", reports.monthly_report, name="monthly_report"),
]
