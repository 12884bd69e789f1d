from django.urls import path

from earlyhelp.web.views import unit

urlpatterns = [
    path("unit/<int:unit_id>/meeting/", unit.unit_meeting, name="unit-meeting"),
    path("my-unit/", unit.my_unit, name="my-unit"),
    path("district/<int:org_id>/", unit.district, name="district"),
    path("step-down/", unit.step_down_panel, name="step-down-panel"),
    path("step-down/propose/", unit.step_down_new, name="step-down-propose"),
    path("step-down/<int:proposal_id>/", unit.step_down_proposal, name="step-down-decide"),
]
