from django.urls import path

from ratings.views import ranking, rate

app_name = "ratings"

urlpatterns = [
    path("ho-so/<int:pk>/", rate.rate_mine, name="rate_mine"),
    path("lien-ket/<str:token>/", rate.rate_link, name="link"),
    path("quay/<int:pk>/", rate.kiosk, name="kiosk"),
    path("cam-on/", rate.thanks, name="thanks"),
    path("xep-hang/<slug:scope>/", ranking.ranking_latest, name="ranking_latest"),
    path("xep-hang/<slug:scope>/<str:period>/", ranking.ranking_page, name="ranking"),
    path(
        "xep-hang/<slug:scope>/<str:period>/tai-ve.<str:fmt>",
        ranking.ranking_download,
        name="ranking_download",
    ),
    path("xep-hang/<slug:scope>/<str:period>/cong-bo/", ranking.publish, name="publish"),
    path("can-bo/", ranking.officers_latest, name="officers_latest"),
    path("can-bo/<str:period>/", ranking.officers_page, name="officers"),
]
