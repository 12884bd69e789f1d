"""The figures: targets by year and their editing, the upload of imported figures, sign-off.

For analysts and administrators only (`performance.figures_policies`); anyone else gets a
403 page saying so. Figures hold no personal data: nothing here is logged as a view.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.services import Actor
from earlyhelp.common import clock
from earlyhelp.domain.indicators.arithmetic import Polarity
from earlyhelp.domain.indicators.periods import month_index, parse_period, target_year
from earlyhelp.interchange.services import InvalidDataset, figures_import
from earlyhelp.performance import selectors_figures as figures
from earlyhelp.performance.figures_policies import REFUSED, can_manage_figures
from earlyhelp.performance.services_signoff import month_name, month_sign_off
from earlyhelp.performance.services_targets import target_clear, target_set
from earlyhelp.web.forms_figures import ClearTargetForm, SignOffForm, TargetForm, UploadForm
from earlyhelp.web.views.base import found, run_service


def figures_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in analysts and administrators only; anyone else sees a 403 page saying why."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if not can_manage_figures(request.user):
                raise PermissionDenied(REFUSED)
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            context = {"message": str(error) or REFUSED}
            return render(request, "web/figures/forbidden.html", context, status=403)

    return wrapped


# --- targets -------------------------------------------------------------------------------


@figures_page
@require_GET
def targets(request: HttpRequest) -> HttpResponse:
    years = figures.target_years()
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else _current_year(years)
    lines = found(figures.target_lines, user=request.user, year=year)
    return render(
        request,
        "web/figures/targets.html",
        {
            "title": f"Targets for {year_label(year)}",
            "year": year,
            "year_label": year_label(year),
            "tabs": [(y, year_label(y), y == year) for y in years],
            "rows": [_target_row(line) for line in lines],
        },
    )


def year_label(year: int) -> str:
    """Target year 2016 (April 2015 to March 2016) as "2015-16"."""
    return f"{year - 1}-{str(year)[2:]}"


def shown(number: Decimal | None) -> str:
    """A target or floor as a plain number: 85, 4.5, 87.3 (empty when there is none)."""
    if number is None:
        return ""
    text = format(Decimal(number).normalize(), "f")
    return "0" if text == "-0" else text


def _target_row(line: figures.TargetLine) -> dict[str, object]:
    default, override, applies = line.default, line.override, line.applies
    return {
        "code": line.indicator.code,
        "name": line.indicator.name,
        "polarity": POLARITY_WORDS[line.indicator.polarity],
        "default": shown(default.target) if default else "",
        "default_floor": shown(default.floor) if default else "",
        "override": shown(override.target) if override else "",
        "override_floor": shown(override.floor) if override else "",
        "target": shown(applies.target) if applies else "",
        "floor": shown(line.floor_applied) if line.judged else "",
        "judged": line.judged,
    }


POLARITY_WORDS = {
    Polarity.HIGHER: "Higher",
    Polarity.LOWER: "Lower",
    Polarity.NONE: "No RAG",
}


def _current_year(years: list[int]) -> int:
    current = target_year(month_index(clock.today()))
    return current if current in years else years[-1]


@figures_page
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, indicator_code: str, year: int) -> HttpResponse:
    line = found(figures.target_line, user=request.user, indicator_code=indicator_code, year=year)
    if request.method == "POST" and request.POST.get("action") == "clear":
        return _clear(request, line)
    form = TargetForm(
        request.POST if request.method == "POST" else None,
        initial=TargetForm.initial_for(line.override),
    )
    if form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            target_set,
            user=request.user,
            indicator_code=indicator_code,
            year=year,
            target=data["target"],
            floor=data["floor"],
            version=data["version"],
            seen=form.as_seen(),
        )
        if saved is not None:
            messages.success(request, f"The {year} target of {indicator_code} is saved.")
            return redirect(f"{reverse('targets')}?year={year}")
        form.after_refusal(figures.target_line(user=request.user, indicator_code=indicator_code,
                                               year=year).override)  # fmt: skip
    return _show_target(request, line, form)


def _clear(request: HttpRequest, line: figures.TargetLine) -> HttpResponse:
    clear = ClearTargetForm(request.POST)
    if clear.is_valid():
        form = TargetForm(initial=TargetForm.initial_for(line.override))
        run_service(
            form,
            target_clear,
            user=request.user,
            indicator_code=line.indicator.code,
            year=line.year,
            version=clear.cleaned_data["version"],
        )
        if not form.errors:
            messages.success(
                request, f"The {line.year} target of {line.indicator.code} is the default again."
            )
            return redirect(f"{reverse('targets')}?year={line.year}")
        return _show_target(request, line, form)
    raise Http404("No target was found.")


def _show_target(request: HttpRequest, line: figures.TargetLine, form: TargetForm) -> HttpResponse:
    return render(
        request,
        "web/figures/target_edit.html",
        {
            "title": f"{line.indicator.code}: target for {year_label(line.year)}",
            "line": line,
            "row": _target_row(line),
            "year_label": year_label(line.year),
            "form": form,
            "history": [
                _history_row(record)
                for record in figures.target_history(user=request.user, line=line)[:50]
            ],
        },
    )


def _history_row(record: Any) -> dict[str, object]:
    def change(name: str) -> str:
        before, after = record.changes.get(name, [None, None])
        if before == after:
            return shown_text(after)
        return f"{shown_text(before)} to {shown_text(after)}"

    return {
        "at": record.at,
        "who": record.actor_name,
        "what": HISTORY_WORDS.get(record.action, record.action.lower()),
        "target": change("target"),
        "floor": change("floor"),
    }


HISTORY_WORDS = {"CREATE": "Set", "UPDATE": "Changed", "DELETE": "Back to the default"}


def shown_text(value: object) -> str:
    return "not set" if value in (None, "") else str(value)


# --- upload ---------------------------------------------------------------------------------


@figures_page
@require_http_methods(["GET", "POST"])
def figures_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if form.is_valid():
        result = _import(request, form)
        if result is not None:
            summary = "; ".join(f.summary() for f in result.files if f.present)
            messages.success(request, f"The figures are imported ({summary}).{_frozen(result)}")
            return redirect("figures-upload")
    return render(
        request, "web/figures/upload.html", {"title": "Upload imported figures", "form": form}
    )


def _import(request: HttpRequest, form: UploadForm) -> Any:
    uploads: dict[str, UploadedFile] = {
        f"{name}.csv": form.cleaned_data[name]
        for name in ("imported_indicators", "targets")
        if form.cleaned_data.get(name)
    }
    names = ", ".join(f"{upload.name} as {name}" for name, upload in uploads.items())
    with tempfile.TemporaryDirectory(prefix="earlyhelp-upload-") as folder:
        for name, upload in uploads.items():
            with (Path(folder) / name).open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
        return run_service(
            form,
            _checked_import,
            form=form,
            directory=Path(folder),
            actor=Actor.of(request.user),
            user=request.user,
            source=f"upload by {request.user.get_username()}: {names}"[:500],
        )


def _checked_import(*, form: UploadForm, **kwargs: Any) -> Any:
    """The import; its errors (every row's) go on the form, under their file."""
    try:
        return figures_import(**kwargs)
    except InvalidDataset as invalid:
        form.add_import_errors(invalid.errors)
        return None


def _frozen(result: Any) -> str:
    """A note on the signed-off months the upload touched: their figures stay frozen."""
    periods = figures.signed_off_periods_of_batch(batch_id=result.batch_id)
    if not periods:
        return ""
    months = ", ".join(month_name(p) for p in sorted(periods))
    return f" Signed off, so left as they were: {months}."


# --- sign-off -------------------------------------------------------------------------------


@figures_page
@require_http_methods(["GET", "POST"])
def figures_signoff(request: HttpRequest) -> HttpResponse:
    months = found(figures.sign_off_months, user=request.user)
    now = month_index(clock.today())
    open_months = [
        (m.period, month_name(m.period))
        for m in months
        if m.latest is None and parse_period(m.period) < now
    ]
    form = SignOffForm(request.POST if request.method == "POST" else None, months=open_months)
    if form.is_valid():
        period = form.cleaned_data["period"]
        signed = run_service(form, month_sign_off, user=request.user, period=period)
        if signed is not None:
            messages.success(
                request,
                f"{month_name(period)} is signed off (version {signed.version}): "
                f"{signed.rows} figures are frozen.",
            )
            return redirect("figures-signoff")
    return render(
        request,
        "web/figures/signoff.html",
        {"title": "Sign off a month", "form": form, "months": months},
    )
