from django.urls import path

from eforms import views

app_name = "eforms"
urlpatterns = [
    path("<int:pk>/", views.declaration_overview, name="fill"),
    path("<int:pk>/phan/<slug:section_id>/", views.declaration_section, name="section"),
    path("<int:pk>/hoan-tat/", views.declaration_finish, name="finish"),
    path("<int:pk>/dan-cu/", views.declaration_population, name="population"),
    path("xem-truoc/<int:definition_id>/", views.definition_preview, name="preview"),
]
