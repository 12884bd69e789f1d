from django.urls import path

from earlyhelp.web.views import figures

urlpatterns = [
    path("figures/targets/", figures.targets, name="targets"),
    path(
        "figures/targets/<str:indicator_code>/<int:year>/",
        figures.target_edit,
        name="target-edit",
    ),
    path("figures/upload/", figures.figures_upload, name="figures-upload"),
    path("figures/sign-off/", figures.figures_signoff, name="figures-signoff"),
]
