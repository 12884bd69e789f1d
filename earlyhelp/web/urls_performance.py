from django.urls import path

from earlyhelp.web.views import performance, performance_indicator, performance_tracker

urlpatterns = [
    path("scorecard/", performance.scorecard, name="scorecard"),
    path("scorecard/download.csv", performance.scorecard_csv, name="scorecard-csv"),
    path("scorecard/download.xlsx", performance.scorecard_xlsx, name="scorecard-xlsx"),
    path("tracker/", performance_tracker.tracker_start, name="tracker-start"),
    path(
        "tracker/<str:level>/<str:org_code>/", performance_tracker.tracker, name="outcome-tracker"
    ),
    path("indicator/<str:indicator_code>/", performance_indicator.indicator, name="indicator"),
    path(
        "indicator/<str:indicator_code>/cases/",
        performance_indicator.indicator_cases,
        name="indicator-cases",
    ),
    path("methodology/", performance_indicator.methodology, name="methodology"),
    path(
        "methodology/download/",
        performance_indicator.methodology_download,
        name="methodology-download",
    ),
]
