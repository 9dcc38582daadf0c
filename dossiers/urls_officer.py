from django.urls import path

from dossiers.views import officer

urlpatterns = [
    path("", officer.officer_home, name="officer_home"),
    path("hang-doi/<slug:slug>/", officer.queue_list, name="officer_queue"),
    path("tiep-nhan-truc-tiep/", officer.counter_register, name="officer_counter"),
    path("so-theo-doi/", officer.tracking_book, name="officer_book"),
    path("dong-bo-dvcqg/", officer.national_sync, name="officer_national"),
    path("dong-bo-dvcqg/<int:pk>/gui-lai/", officer.national_retry, name="officer_national_retry"),
    path("dong-bo-dvcqg/thu-tuc/", officer.national_procedure, name="officer_national_procedure"),
    path("<int:pk>/", officer.dossier_work, name="officer_dossier"),
    path("<int:pk>/<slug:action>/", officer.dossier_act, name="officer_action"),
]
