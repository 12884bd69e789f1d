"""Journey 2, triage at the front door, and journey 7, search."""

from django.urls import path

from earlyhelp.web.views import search, triage

urlpatterns = [
    path("triage/", triage.triage_queue, name="triage-queue"),
    path("notification/new/", triage.notification_new, name="notification-new"),
    path("notification/<int:notification_id>/", triage.notification_page, name="notification"),
    path(
        "notification/<int:notification_id>/link/",
        triage.notification_link,
        name="notification-link",
    ),
    path(
        "notification/<int:notification_id>/triage/",
        triage.notification_triage,
        name="notification-triage",
    ),
    path(
        "notification/<int:notification_id>/referrer-told/",
        triage.notification_informed,
        name="notification-informed",
    ),
    path("search/", search.search, name="search"),
]
