"""Kinds of case event (the timeline of a family) and the sentence each one reads as."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    NOTIFICATION_RECEIVED = "NOTIFICATION_RECEIVED"
    NOTIFICATION_TRIAGED = "NOTIFICATION_TRIAGED"
    REFERRER_INFORMED = "REFERRER_INFORMED"
    NOTIFICATION_LINKED = "NOTIFICATION_LINKED"
    NOTIFICATION_PERSON_LINKED = "NOTIFICATION_PERSON_LINKED"
    STEP_DOWN_RECEIVED = "STEP_DOWN_RECEIVED"
    CASE_OPENED = "CASE_OPENED"
    CASE_ALLOCATED = "CASE_ALLOCATED"
    ASSESSMENT_STARTED = "ASSESSMENT_STARTED"
    ASSESSMENT_UPDATED = "ASSESSMENT_UPDATED"
    ASSESSMENT_COMPLETED = "ASSESSMENT_COMPLETED"
    PLAN_AGREED = "PLAN_AGREED"
    PLAN_UPDATED = "PLAN_UPDATED"
    REVIEW_RECORDED = "REVIEW_RECORDED"
    NOTE_ADDED = "NOTE_ADDED"
    CASE_CLOSED = "CASE_CLOSED"
    CASE_REOPENED = "CASE_REOPENED"
    STEPPED_UP = "STEPPED_UP"
    PERSON_MERGED = "PERSON_MERGED"


TITLES: dict[EventKind, str] = {
    EventKind.NOTIFICATION_RECEIVED: "Notification received",
    EventKind.NOTIFICATION_TRIAGED: "Notification triaged",
    EventKind.REFERRER_INFORMED: "Referrer told the outcome",
    EventKind.NOTIFICATION_LINKED: "New notification linked to the open case",
    EventKind.NOTIFICATION_PERSON_LINKED: "Notification matched to a known child",
    EventKind.STEP_DOWN_RECEIVED: "Step-down from Specialist Children's Services",
    EventKind.CASE_OPENED: "Case opened",
    EventKind.CASE_ALLOCATED: "Case allocated",
    EventKind.ASSESSMENT_STARTED: "Assessment started",
    EventKind.ASSESSMENT_UPDATED: "Assessment updated",
    EventKind.ASSESSMENT_COMPLETED: "Assessment completed",
    EventKind.PLAN_AGREED: "Family plan agreed",
    EventKind.PLAN_UPDATED: "Family plan updated",
    EventKind.REVIEW_RECORDED: "Review held",
    EventKind.NOTE_ADDED: "Case note",
    EventKind.CASE_CLOSED: "Case closed",
    EventKind.CASE_REOPENED: "Case re-opened",
    EventKind.STEPPED_UP: "Stepped up to Specialist Children's Services",
    EventKind.PERSON_MERGED: "Records merged",
}
