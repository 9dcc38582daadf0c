from django.urls import path

from signing import views

app_name = "signing"
urlpatterns = [
    path("ho-so/<int:pk>/trinh-ky/", views.signing_send, name="send"),
    path("goi-lai/", views.signing_callback, name="callback"),
    path("kiem-tra/", views.signing_verify, name="verify"),
]
