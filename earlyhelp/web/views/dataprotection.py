"""Data protection pages: who looked at a record, what a user looked at, break-glass and its
review, subject access, consent, restricted records' access lists, analysts' extracts, and
what partners are told about the notifications they sent."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.models import AccessAction
from earlyhelp.audit.services import Actor, Refs, access_record
from earlyhelp.common import clock
from earlyhelp.common.errors import NotFound
from earlyhelp.dataprotection import pseudonymise, subject_access
from earlyhelp.dataprotection import selectors as dp
from earlyhelp.dataprotection.policies import (
    may_export_pseudonymised,
    may_read_audit,
    may_review_break_glass,
)
from earlyhelp.organisation.models import User
from earlyhelp.people import selectors as people
from earlyhelp.people import services as people_services
from earlyhelp.people.models import Family, FamilyAccess
from earlyhelp.people.policies import (
    ACCESS_LIST_MANAGERS,
    in_home_scope,
    is_data_protection_officer,
    may_break_glass,
    may_edit_people,
    may_manage_access_list,
    may_record_consent,
)
from earlyhelp.web.forms_dataprotection import (
    AccessAddForm,
    BreakGlassForm,
    BreakGlassRefForm,
    ConsentForm,
    PeriodForm,
    PersonRefForm,
    RecordLogForm,
    RestrictForm,
    UserLogForm,
    WithdrawForm,
)
from earlyhelp.web.views.base import client_ip, found, log_view, run_service

PAGE_SIZE = 50
CSV_COLUMNS = ("when", "who", "action", "what", "records", "ip_address", "reason")
NO_RECORD = (
    "No person, family or case with that reference was found among the records you may audit."
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _sections(request: HttpRequest) -> list[dict[str, Any]]:
    """The sub-navigation of the audit pages (managers and the data protection officer)."""
    if not may_read_audit(request.user):
        return []
    pages = [
        ("Who looked at a record", "record-access-log"),
        ("What a user looked at", "user-access-log"),
        ("Break-glass review", "break-glass-review"),
        ("Subject access", "subject-access"),
    ]
    return [
        {"text": text, "href": reverse(name), "current": request.path == reverse(name)}
        for text, name in pages
    ]


# --- audit pages ------------------------------------------------------------------------------


@dataclass
class LazyRows:
    """An audit log as the paginator wants it: a count, and slices read when asked for."""

    log: dp.AuditLog

    def count(self) -> int:
        return self.log.count()

    def __getitem__(self, index: slice) -> list[dp.AuditRow]:
        return self.log.rows(index.start or 0, index.stop)


class Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(log: dp.AuditLog) -> Iterator[str]:
    writer = csv.writer(Echo(), lineterminator="\n")
    yield writer.writerow(CSV_COLUMNS)
    for chunk in log.chunks():
        for r in chunk:
            when = r.at.astimezone(clock.LONDON).isoformat(timespec="seconds")
            yield writer.writerow(
                (when, r.who, r.action, r.what, r.records, r.ip_address, r.reason)
            )


def _csv_response(lines: Iterable[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_logged(request: HttpRequest, *, what: str, refs: Refs) -> None:
    access_record(
        actor=Actor.of(request.user),
        action=AccessAction.EXPORT,
        what=what[:200],
        refs=refs,
        ip_address=client_ip(request),
    )


def _log_page(
    request: HttpRequest, log: dp.AuditLog, *, stem: str, what: str, refs: Refs
) -> HttpResponseBase | dict[str, Any]:
    """A CSV of the whole log (logged as an export), or a page of it (logged as a view)."""
    if request.GET.get("format") == "csv":
        _export_logged(request, what=f"{what} (CSV)", refs=refs)
        return _csv_response(_csv_lines(log), f"{stem}.csv")
    page = Paginator(LazyRows(log), PAGE_SIZE).get_page(request.GET.get("page"))
    log_view(request, what=what, refs=refs)
    return {"page_obj": page, "rows": page.object_list, "total": page.paginator.count}


@require_GET
@login_required
def record_access_log(request: HttpRequest) -> HttpResponse:
    """Who has looked at (and changed) a person's, family's or case's record."""
    _require(may_read_audit(request.user), "Only managers and the data protection officer can.")
    form = RecordLogForm(request.GET if "ref" in request.GET else None)
    context: dict[str, Any] = {
        "title": "Who has looked at a record",
        "form": form,
        "sections": _sections(request),
    }
    if form.is_bound and form.is_valid():
        try:
            subject = dp.audited_subject(user=request.user, ref=form.cleaned_data["ref"])
        except NotFound:
            form.add_error("ref", NO_RECORD)
        else:
            refs = _subject_refs(subject)
            shown = _log_page(
                request,
                dp.record_audit(subject, *form.period),
                stem=f"access-log-{subject.ref}",
                what=f"access log of {subject.kind} {subject.ref}",
                refs=refs,
            )
            if isinstance(shown, HttpResponseBase):
                return shown
            context.update(shown, subject=subject)
    return render(request, "web/dataprotection/record_log.html", context)


def _subject_refs(subject: dp.Subject) -> Refs:
    return Refs(
        family_id=subject.family_id,
        person_id=subject.pk if subject.kind == "person" else None,
        case_id=subject.pk if subject.kind == "case" else None,
    )


@require_GET
@login_required
def user_access_log(request: HttpRequest) -> HttpResponse:
    """What one member of staff has looked at, searched for, exported and changed."""
    _require(may_read_audit(request.user), "Only managers and the data protection officer can.")
    form = UserLogForm(request.GET if "username" in request.GET else None)
    context: dict[str, Any] = {
        "title": "What a user has looked at",
        "form": form,
        "sections": _sections(request),
    }
    if form.is_bound and form.is_valid():
        try:
            target = dp.audited_user(user=request.user, username=form.cleaned_data["username"])
        except NotFound:
            form.add_error("username", "No member of staff you may audit has that username.")
        else:
            shown = _log_page(
                request,
                dp.user_audit(target, *form.period),
                stem=f"activity-{target.username}",
                what=f"activity log of user {target.username}",
                refs=Refs(),
            )
            if isinstance(shown, HttpResponseBase):
                return shown
            context.update(shown, target=target)
    return render(request, "web/dataprotection/user_log.html", context)


# --- break-glass ------------------------------------------------------------------------------


def _record_url(target: dp.BreakGlassTarget) -> str:
    if target.person_id is not None:
        return reverse("person", args=[target.person_id])
    if target.case_id is not None:
        return reverse("case", args=[target.case_id])
    return reverse("family", args=[target.family.pk])


@require_http_methods(["GET", "POST"])
@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    """Open a record outside one's scope, for a typed reason (logged; shown to its leader)."""
    _require(may_break_glass(request.user), "Your role does not open people's records.")
    context: dict[str, Any] = {"title": "Request access to a record"}
    if request.method == "POST":
        form = BreakGlassForm(request.POST)
        target = _target(request, request.POST.get("ref", ""))
        if target is not None and form.is_valid():
            granted = run_service(
                form,
                people_services.break_glass_grant,
                user=request.user,
                family=target.family,
                reason=form.cleaned_data["reason"],
                requested_ref=target.ref,
                refs=Refs(
                    family_id=target.family.pk, person_id=target.person_id, case_id=target.case_id
                ),
                what=target.what,
                ip_address=client_ip(request),
            )
            if granted is not None:
                until = clock.local_date(granted.expires_at)
                messages.success(
                    request,
                    f"You can open {target.kind} {target.ref} until "
                    f"{granted.expires_at.astimezone(clock.LONDON):%H:%M} on {until:%-d %B %Y}. "
                    "Your reason is recorded and shown to the unit leader responsible.",
                )
                return redirect(_record_url(target))
        context.update(target=target, form=form, ref_form=BreakGlassRefForm())
        return render(request, "web/dataprotection/break_glass.html", context)
    typed = request.GET.get("q", "")
    initial = {"ref": typed} if dp.REFERENCE.match("".join(typed.split()).upper()) else {}
    ref_form = BreakGlassRefForm(request.GET if "ref" in request.GET else None, initial=initial)
    context["ref_form"] = ref_form
    if ref_form.is_bound and ref_form.is_valid():
        target = _target(request, ref_form.cleaned_data["ref"])
        if target is None:
            ref_form.add_error("ref", "No record with that reference can be opened.")
        else:
            context.update(
                target=target,
                record_url=_record_url(target),
                form=BreakGlassForm(initial={"ref": target.ref}),
            )
    return render(request, "web/dataprotection/break_glass.html", context)


def _target(request: HttpRequest, ref: str) -> dp.BreakGlassTarget | None:
    try:
        return dp.break_glass_target(user=request.user, ref=ref)
    except NotFound:
        return None


@require_GET
@login_required
def break_glass_review(request: HttpRequest) -> HttpResponse:
    """Break-glass openings of the records the reviewer's unit (or area) answers for."""
    _require(may_review_break_glass(request.user), "Only unit leaders and managers review these.")
    form = PeriodForm(request.GET if request.GET else None)
    since, until = form.period if form.is_bound else (None, None)
    entries = dp.break_glass_review(user=request.user, since=since, until=until)
    log_view(request, what="break-glass review", refs=Refs())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": "Break-glass review",
        "form": form,
        "page_obj": page,
        "entries": page.object_list,
        "sections": _sections(request),
        "now": timezone.now(),  # grants run on real time
    }
    return render(request, "web/dataprotection/break_glass_review.html", context)


# --- subject access ---------------------------------------------------------------------------

DOWNLOADS = {
    "json": ("application/json; charset=utf-8", subject_access.render_json),
    "html": ("text/html; charset=utf-8", subject_access.render_html),
}


@require_GET
@login_required
def subject_access_page(request: HttpRequest) -> HttpResponse:
    """Everything held about one person, as a readable document and as JSON (logged)."""
    _require(may_read_audit(request.user), "Only managers and the data protection officer can.")
    form = PersonRefForm(request.GET if "ref" in request.GET else None)
    context: dict[str, Any] = {
        "title": "Subject access",
        "form": form,
        "sections": _sections(request),
    }
    if form.is_bound and form.is_valid():
        try:
            person = dp.person_for_subject_access(user=request.user, ref=form.cleaned_data["ref"])
        except NotFound:
            form.add_error(
                "ref", "No person with that reference was found among those you may audit."
            )
        else:
            wanted = request.GET.get("format", "")
            if wanted in DOWNLOADS:
                return _download(request, person, wanted)
            document = subject_access.subject_access_document(person)
            log_view(
                request,
                what=f"subject access summary of {person.person_ref}",
                refs=Refs(family_id=person.family_id, person_id=person.pk),
            )
            context.update(person=person, counts=_counts(document))
    return render(request, "web/dataprotection/subject_access.html", context)


def _download(request: HttpRequest, person: Any, wanted: str) -> HttpResponse:
    document = subject_access.subject_access_export(
        actor=Actor.of(request.user), person=person, ip_address=client_ip(request), how=wanted
    )
    content_type, render_ = DOWNLOADS[wanted]
    response = HttpResponse(render_(document), content_type=content_type)
    filename = f"subject-access-{person.person_ref}.{wanted}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _counts(document: dict[str, Any]) -> list[tuple[str, int]]:
    counts = []
    for key, title in subject_access.SECTION_TITLES.items():
        value = document.get(key)
        counts.append((title, len(value) if isinstance(value, list) else int(bool(value))))
    return counts


# --- consent ----------------------------------------------------------------------------------


def family_data_protection(user: User, family: Family) -> dict[str, Any]:
    """What the family page shows of consent, and the data protection links it offers."""
    responsible = in_home_scope(user, family)  # one check for the two rules below
    return {
        "consents": list(people.family_consents(user=user, family_id=family.pk)),
        "may_record_consent": responsible and may_edit_people(user),
        "may_audit": may_read_audit(user),
        "may_manage_access": responsible and user.role in ACCESS_LIST_MANAGERS,
        "today": clock.today(),
    }


@require_http_methods(["GET", "POST"])
@login_required
def consent_new(request: HttpRequest, family_id: int) -> HttpResponse:
    family = found(people.family_get, user=request.user, family_id=family_id)
    _require(may_record_consent(request.user, family), "You cannot record consent for this family.")
    members = list(found(people.family_members, user=request.user, family_id=family_id))
    form = ConsentForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = run_service(
            form,
            people_services.consent_record,
            user=request.user,
            family=family,
            purpose=data["purpose"],
            given_on=data["given_on"],
            given_by=form.person(),
            partner_name=data["partner_name"],
            notes=data["notes"],
        )
        if consent is not None:
            messages.success(request, f"Consent recorded: {consent.get_purpose_display()}.")
            return redirect("family", family_id=family.pk)
    log_view(request, what="family record (consent)", refs=Refs(family_id=family.pk))
    context = {"title": "Record the family's consent", "family": family, "form": form}
    return render(request, "web/dataprotection/consent_new.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = found(people.consent_get, user=request.user, consent_id=consent_id)
    _require(
        may_record_consent(request.user, consent.family),
        "You cannot record consent for this family.",
    )
    if consent.withdrawn_on is not None:
        raise Http404("That consent has already been withdrawn.")
    form = WithdrawForm(request.POST or None, initial={"version": consent.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        withdrawn = run_service(
            form,
            people_services.consent_withdraw,
            user=request.user,
            consent=consent,
            withdrawn_on=data["withdrawn_on"],
            reason=data["reason"],
            version=data["version"],
        )
        if withdrawn is not None:
            messages.success(
                request,
                f"Consent withdrawn from {withdrawn.withdrawn_on:%-d %B %Y}: "
                f"{withdrawn.get_purpose_display()}. Nothing more is shared for it.",
            )
            return redirect("family", family_id=consent.family_id)
        if hasattr(form, "stale_changes"):
            form.data = form.data.copy()
            form.data["version"] = str(consent.version)
    log_view(request, what="family record (consent)", refs=Refs(family_id=consent.family_id))
    context = {"title": "Record that consent was withdrawn", "consent": consent, "form": form}
    return render(request, "web/dataprotection/consent_withdraw.html", context)


# --- restricted records: who may see a family -------------------------------------------------


def _family_for_access_list(request: HttpRequest, family_id: int) -> Family:
    if is_data_protection_officer(request.user):
        family = Family.objects.filter(pk=family_id).first()
        if family is None:
            raise Http404("No family was found.")
    else:
        family = found(people.family_get, user=request.user, family_id=family_id)
    _require(may_manage_access_list(request.user, family), "You cannot change who sees this.")
    return family


@require_http_methods(["GET", "POST"])
@login_required
def access_list(request: HttpRequest, family_id: int) -> HttpResponse:
    """Restrict a family to named staff, and name them (DPO, or its leaders and managers)."""
    family = _family_for_access_list(request, family_id)
    restrict = RestrictForm(initial={"version": family.version, "restricted": family.restricted})
    add = AccessAddForm()
    action = request.POST.get("action")
    if action == "restrict":
        restrict = RestrictForm(request.POST)
        if restrict.is_valid():
            done = run_service(
                restrict,
                people_services.family_restrict,
                user=request.user,
                family=family,
                restricted=restrict.cleaned_data["restricted"],
                version=restrict.cleaned_data["version"],
            )
            if done is not None:
                said = "is now restricted to" if done.restricted else "is no longer restricted to"
                messages.success(request, f"Family {done.family_ref} {said} the named staff.")
                return _back_to_list(done)
    elif action == "add":
        add = AccessAddForm(request.POST)
        if add.is_valid() and _add_named(request, family, add):
            return _back_to_list(family)
    elif action == "remove":
        _remove_named(request, family, request.POST.get("entry", ""))
        return _back_to_list(family)
    entries = people.family_access_list(family_id=family.pk)
    context = {
        "title": f"Who may see family {family.family_ref}",
        "family": family,
        "restrict_form": restrict,
        "add_form": add,
        "entries": entries,
        "forms": [restrict, add],
    }
    return render(request, "web/dataprotection/access_list.html", context)


def _back_to_list(family: Family) -> HttpResponseRedirect:
    return redirect("family-access-list", family_id=family.pk)


def _add_named(request: HttpRequest, family: Family, form: AccessAddForm) -> bool:
    member = User.objects.filter(username__iexact=form.cleaned_data["username"].strip()).first()
    if member is None:
        form.add_error("username", "No account has that username.")
        return False
    entry = run_service(
        form,
        people_services.family_access_add,
        field_map={"member": "username"},
        user=request.user,
        family=family,
        member=member,
    )
    if entry is None:
        return False
    messages.success(request, f"{member.username} may now see family {family.family_ref}.")
    return True


def _remove_named(request: HttpRequest, family: Family, entry_id: str) -> None:
    entry = FamilyAccess.objects.filter(pk=int(entry_id) if entry_id.isdigit() else 0).first()
    if entry is None or entry.family_id != family.pk:
        raise Http404("No such entry on this family's list.")
    people_services.family_access_remove(user=request.user, entry=entry)
    messages.success(request, "The member of staff has been taken off the list.")


# --- analysts' pseudonymised extract ----------------------------------------------------------


@require_GET
@login_required
def pseudonymised_data(request: HttpRequest) -> HttpResponse:
    """The tables of the pseudonymised extract, each a CSV download (logged)."""
    _require(may_export_pseudonymised(request.user), "Only analysts take the pseudonymised data.")
    table = request.GET.get("table", "")
    if table in pseudonymise.TABLES:
        pseudonymise.log_extract(
            actor=Actor.of(request.user), what=f"{table}.csv", ip_address=client_ip(request)
        )
        writer = csv.writer(Echo(), lineterminator="\n")
        lines = (writer.writerow(row) for row in pseudonymise.table_lines(table))
        return _csv_response(lines, f"{table}-pseudonymised-{clock.today():%Y-%m-%d}.csv")
    context = {
        "title": "Pseudonymised data for analysis",
        "tables": list(pseudonymise.TABLES.values()),
        "bands": [name for _, _, name in pseudonymise.AGE_BANDS] + [pseudonymise.OLDEST_BAND],
    }
    return render(request, "web/dataprotection/pseudonymised.html", context)


# --- partners: the notifications they sent ----------------------------------------------------


@require_GET
def partner_notifications(request: HttpRequest) -> HttpResponse:
    """Superseded by the partner portal's list, the one place partners follow what they
    sent: the old address leads there."""
    return redirect("portal-notifications")
