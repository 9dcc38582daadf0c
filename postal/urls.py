from django.urls import path

from postal import views

app_name = "postal"
urlpatterns = [
    path("ho-so/<int:pk>/gui-ket-qua/", views.shipment_send, name="send"),
    path("ho-so/<int:pk>/cap-nhat/", views.shipment_check, name="check"),
]
