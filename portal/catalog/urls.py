from django.urls import path

from portal.catalog import views

app_name = "catalog"
urlpatterns = [
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<code:code>/", views.procedure_detail, name="procedure_detail"),
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<code:code>/", views.agency_detail, name="agency_detail"),
    path("co-quan/<code:code>/nhung/", views.agency_embed, name="agency_embed"),
]
