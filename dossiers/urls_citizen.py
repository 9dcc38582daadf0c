"""The citizen's dossier pages and the permission-checked downloads, under /ho-so/ (Vietnamese slugs)."""

from django.urls import path

from dossiers.views import citizen, files, tracking

urlpatterns = [
    # First: the public tracking page is the most requested address here.
    path("tra-cuu/", tracking.track, name="track"),
    path("tra-cuu/<code:code>/<code:signature>/", tracking.track_link, name="track_link"),
    path("cua-toi/", citizen.my_dossiers, name="my_dossiers"),
    path("nop/<code:code>/", citizen.dossier_start, name="start"),
    path("<int:pk>/", citizen.dossier_detail, name="citizen_detail"),
    path("<int:pk>/soan/", citizen.dossier_draft, name="draft"),
    path("<int:pk>/dan-cu/", citizen.dossier_population, name="draft_population"),
    path("<int:pk>/kiem-tra/", citizen.dossier_review, name="review"),
    path("<int:pk>/xoa/", citizen.dossier_draft_delete, name="draft_delete"),
    path("<int:pk>/rut/", citizen.dossier_withdraw, name="withdraw"),
    path("<int:pk>/bo-sung/", citizen.dossier_resubmit, name="resubmit"),
    path("thong-bao/", citizen.notification_list, name="notifications"),
    path("thong-bao/da-doc/", citizen.notification_mark_read, name="notifications_read"),
    path("kho-du-lieu/", citizen.vault, name="vault"),
    path("kho-du-lieu/<int:pk>/tai-ve/", files.vault_document_download, name="vault_download"),
    path("tep/<int:pk>/", files.file_download, name="file_download"),
]
