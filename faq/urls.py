from django.urls import path

from faq import views

app_name = "faq"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("<int:pk>/", views.entry_detail, name="entry"),
    path("tro-ly/", views.chat, name="chat"),
    path("tro-ly/khong-huu-ich/", views.not_helpful, name="not_helpful"),
    path("nhung/", views.embed, name="embed"),
    path("chi-tieu/", views.quota_dashboard, name="quotas"),
]
