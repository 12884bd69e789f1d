from django.urls import path

from earlyhelp.web.views import family

urlpatterns = [
    path("family/<int:family_id>/", family.family_record, name="family"),
    path("person/<int:person_id>/", family.person_record, name="person"),
    path("person/<int:person_id>/edit/", family.person_edit, name="person-edit"),
    path("person/<int:person_id>/merge/", family.person_merge, name="person-merge"),
]
