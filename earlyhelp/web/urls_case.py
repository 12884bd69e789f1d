"""Journey 4, the case: its sections and what can be done to it."""

from django.urls import path

from earlyhelp.web.views import case, case_lifecycle, case_plan, case_records

urlpatterns = [
    path("case/<int:case_id>/", case.case_overview, name="case"),
    path("case/<int:case_id>/assessment/", case.case_assessment, name="case-assessment"),
    path("case/<int:case_id>/plan/", case_plan.case_plan, name="case-plan"),
    path(
        "case/<int:case_id>/plan/outcomes/add/",
        case_plan.case_plan_outcome_add,
        name="case-plan-outcome-add",
    ),
    path(
        "case/<int:case_id>/plan/outcomes/<int:outcome_id>/actions/add/",
        case_plan.case_plan_action_add,
        name="case-plan-action-add",
    ),
    path(
        "case/<int:case_id>/plan/actions/<int:action_id>/",
        case_plan.case_plan_action,
        name="case-plan-action",
    ),
    path("case/<int:case_id>/reviews/", case_records.case_reviews, name="case-reviews"),
    path("case/<int:case_id>/notes/", case_records.case_notes, name="case-notes"),
    path("case/<int:case_id>/close/", case_lifecycle.case_close, name="case-close"),
    path("case/<int:case_id>/step-up/", case_lifecycle.case_step_up, name="case-step-up"),
    path("case/<int:case_id>/allocate/", case_lifecycle.case_allocate, name="case-allocate"),
    path("case/<int:case_id>/reopen/", case_lifecycle.case_reopen, name="case-reopen"),
    path("case/<int:case_id>/history/", case_records.case_history, name="case-history"),
]
