"""Under /tai-khoan/can-bo/ (included by portal/accounts/urls.py, in its ``accounts`` namespace)."""

from django.urls import path

from portal.accounts.staff import views

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("them/", views.staff_create, name="staff_create"),
    path("<int:pk>/", views.staff_detail, name="staff_detail"),
    path("<int:pk>/vai-tro/", views.staff_role, name="staff_role"),
    path("<int:pk>/co-quan/", views.staff_memberships, name="staff_memberships"),
    path("<int:pk>/khoa/", views.staff_deactivate, name="staff_deactivate"),
]
