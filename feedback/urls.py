from django.urls import path

from feedback.views import public, staff

app_name = "feedback"

urlpatterns = [
    path("", public.public_list, name="public_list"),
    path("gui/", public.submit, name="submit"),
    path("da-nhan/<code:code>/", public.receipt, name="receipt"),
    path("tra-cuu/", public.track, name="track"),
    path("tra-cuu/danh-gia/", public.track_rate, name="track_rate"),
    path("khieu-nai-to-cao/", public.complaints, name="complaints"),
    path("cua-toi/", public.mine, name="mine"),
    path("cua-toi/<code:code>/", public.mine_detail, name="mine_detail"),
    path("cong-khai/<code:code>/", public.public_detail, name="public_detail"),
    path("can-bo/", staff.queue, name="staff_queue"),
    path("can-bo/ghi-nhan/", staff.record, name="staff_record"),
    path("can-bo/tep/<int:pk>/", staff.attachment, name="staff_attachment"),
    path("can-bo/<code:code>/", staff.item, name="staff_item"),
    path("can-bo/<code:code>/<slug:name>/", staff.action, name="staff_action"),
]
