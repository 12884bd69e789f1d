from django.conf import settings
from django.urls import include, path

from earlyhelp.web.views import account

urlpatterns = [
    path("sign-in/two-factor/", account.two_factor_verify, name="two-factor-verify"),
    path("account/", account.account, name="account"),
    path("account/two-factor/set-up/", account.two_factor_setup, name="two-factor-setup"),
    path(
        "account/two-factor/recovery-codes/",
        account.recovery_codes,
        name="account-recovery-codes",
    ),
]

if getattr(settings, "OIDC_ENABLED", False):  # single sign-on, when configured
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
