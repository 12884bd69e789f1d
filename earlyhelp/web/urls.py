from django.contrib.auth import views as auth_views
from django.urls import include, path

from earlyhelp.web.views import account, home

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", account.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", home.healthz, name="healthz"),
    path("", include("earlyhelp.web.urls_triage")),
    path("", include("earlyhelp.web.urls_case")),
    path("", include("earlyhelp.web.urls_family")),
    path("", include("earlyhelp.web.urls_unit")),
    path("", include("earlyhelp.web.urls_performance")),
    path("", include("earlyhelp.web.urls_figures")),
    path("", include("earlyhelp.web.urls_account")),
    path("", include("earlyhelp.web.urls_dataprotection")),
    path("", include("earlyhelp.web.urls_portal")),
]
