"""The REST API under /api/: version 1 at /api/v1/, the schema and its documentation."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.decorators import api_view, authentication_classes, permission_classes

from earlyhelp.api import views_docs, views_feed, views_notifications, views_records

app_name = "api"

not_found = extend_schema(exclude=True)(
    api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])(
        permission_classes([])(authentication_classes([])(views_docs.not_found))
    )
)

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]),
        name="schema",
    ),
    path("docs/", views_docs.api_docs, name="docs"),
    path(
        "v1/notifications/",
        views_notifications.NotificationList.as_view(),
        name="notifications",
    ),
    path(
        "v1/notifications/<str:reference>/",
        views_notifications.NotificationDetail.as_view(),
        name="notification",
    ),
    path("v1/police-feed/", views_feed.PoliceFeed.as_view(), name="police-feed"),
    path("v1/people/", views_records.PersonList.as_view(), name="people"),
    path("v1/people/<str:reference>/", views_records.PersonDetail.as_view(), name="person"),
    path("v1/cases/", views_records.CaseList.as_view(), name="cases"),
    path("v1/cases/<str:reference>/", views_records.CaseDetail.as_view(), name="case"),
    path("v1/indicators/", views_records.IndicatorValueList.as_view(), name="indicators"),
    re_path(r"^.*$", not_found, name="not-found"),
]
