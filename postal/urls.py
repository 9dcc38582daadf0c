from django.urls import path

from postal import views

app_name = "postal"
urlpatterns = [
    path("ho-so/<int:pk>/gui-ket-qua/", views.shipment_send, name="send"),
    path("ho-so/<int:pk>/cap-nhat/", views.shipment_check, name="check"),
    path("ho-so/<int:pk>/thu-gom/", views.collection_choose, name="collection_choose"),
    path("ho-so/<int:pk>/thu-gom/bo/", views.collection_cancel, name="collection_cancel"),
    path("ho-so/<int:pk>/thu-gom/gui-lai/", views.collection_retry, name="collection_retry"),
]
