"""Journey: the partner portal (sign in, send a notification, see what happened to it)."""

from django.urls import path

from earlyhelp.web.forms_portal import STEPS
from earlyhelp.web.views import portal, portal_status

urlpatterns = [
    path("portal/", portal.portal_start, name="portal-start"),
    path("portal/sign-in/", portal.portal_sign_in, name="portal-sign-in"),
    path("portal/sign-in/code/", portal.portal_code_request, name="portal-code-request"),
    path("portal/sign-in/code/enter/", portal.portal_code_enter, name="portal-code-enter"),
    path("portal/your-organisation/", portal.portal_organisation, name="portal-organisation"),
    path("portal/home/", portal.portal_home, name="portal-home"),
    path("portal/notification/new/", portal.portal_new, name="portal-new"),
    *[
        path(
            f"portal/notification/<int:draft_id>/{step.slug}/",
            portal.portal_step,
            {"step": step.slug},
            name=step.url_name,
        )
        for step in STEPS
    ],
    path(
        "portal/notification/<int:draft_id>/check/", portal_status.portal_check, name="portal-check"
    ),
    path(
        "portal/notification/<int:draft_id>/delete/",
        portal.portal_draft_delete,
        name="portal-draft-delete",
    ),
    path("portal/restore/", portal.portal_restore, name="portal-restore"),
    path("portal/sent/<str:notification_ref>/", portal_status.portal_sent, name="portal-sent"),
    path("portal/notifications/", portal_status.portal_notifications, name="portal-notifications"),
    path(
        "portal/notifications/<str:notification_ref>/",
        portal_status.portal_notification,
        name="portal-notification",
    ),
]
