from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("ho-so/<int:pk>/", views.payment_start, name="start"),
    path("ket-qua/", views.payment_return, name="return"),
    path("thong-bao/", views.payment_notify, name="notify"),
    path("<int:pk>/bien-lai.pdf", views.payment_receipt, name="receipt"),
]
