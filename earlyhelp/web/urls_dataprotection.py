"""Data protection: audit pages, break-glass, subject access, consent, access lists,
analysts' pseudonymised data, partners' own notifications."""

from django.urls import path

from earlyhelp.web.views import dataprotection as dp

urlpatterns = [
    path("audit/record/", dp.record_access_log, name="record-access-log"),
    path("audit/user/", dp.user_access_log, name="user-access-log"),
    path("audit/break-glass/", dp.break_glass_review, name="break-glass-review"),
    path("audit/subject-access/", dp.subject_access_page, name="subject-access"),
    path("request-access/", dp.break_glass, name="break-glass"),
    path("family/<int:family_id>/consent/new/", dp.consent_new, name="consent-new"),
    path("consent/<int:consent_id>/withdraw/", dp.consent_withdraw, name="consent-withdraw"),
    path("family/<int:family_id>/access-list/", dp.access_list, name="family-access-list"),
    path("analysis/pseudonymised/", dp.pseudonymised_data, name="pseudonymised-data"),
    path("partner/notifications/", dp.partner_notifications, name="partner-notifications"),
]
