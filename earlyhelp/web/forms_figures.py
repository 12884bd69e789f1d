"""Forms of the figures pages: targets, the upload of imported figures, month sign-off.

They check the shape of the input; the services (and, for uploads, the interchange rules)
decide the rest.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing

from earlyhelp.performance.models import Target
from earlyhelp.web.forms_case import StaleRow

_SEEN_SALT = "earlyhelp.web.figures.seen"
MAX_UPLOAD_MB = 20


def _number(label: str, *, required: bool, help_text: str = "") -> forms.DecimalField:
    called = label.lower()
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=4,
        help_text=help_text,
        widget=forms.TextInput(attrs={"width": "5", "inputmode": "decimal"}),
        error_messages={
            "required": f"Enter the {called}.",
            "invalid": f"Enter the {called} as a number, like 85 or 4.5.",
            "max_digits": f"Enter a {called} of at most 14 digits.",
            "max_decimal_places": f"Enter a {called} with at most 4 decimal places.",
            "max_whole_digits": f"Enter a {called} of at most 10 digits before the point.",
        },
    )


class TargetForm(forms.Form):
    """One indicator's target and floor for one year; `version` 0 is "no override yet"."""

    target = _number("Target", required=True)
    floor = _number(
        "Floor",
        required=False,
        help_text=(
            "Where RAG turns from amber to red. Leave it empty for the default: the target "
            "moved 10% of the target the bad way (80, higher is better: 72)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(override: Target | None) -> dict[str, Any]:
        if override is None:
            return {"version": 0, "seen": ""}
        return {
            "target": _plain(override.target),
            "floor": _plain(override.floor),
            "version": override.version,
            "seen": _signed(override),
        }

    def as_seen(self) -> Target | None:
        """The override as the user saw it (None: none, or the copy cannot be trusted)."""
        try:
            seen = signing.loads(self.cleaned_data.get("seen") or "", salt=_SEEN_SALT)
        except signing.BadSignature:
            return None
        if seen.get("version") != self.cleaned_data["version"]:
            return None
        return Target(target=seen["target"], floor=seen["floor"])

    def after_refusal(self, override: Target | None) -> None:
        """After a stale save: keep what was typed, based on what is stored now."""
        changes = getattr(self, "stale_changes", None)
        if changes is None:
            return
        fresh = self.initial_for(override)
        self.data = self.data.copy()
        self.data["version"] = str(fresh["version"])
        self.data["seen"] = fresh["seen"]
        self.stale_rows = [
            StaleRow(name.capitalize(), was or "Not set", now or "Not set")
            for name, (was, now) in changes.items()
        ]


class ClearTargetForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _plain(number: Decimal | None) -> str | None:
    if number is None:
        return None
    return format(Decimal(number).normalize(), "f")


def _signed(override: Target) -> str:
    values = {
        "version": override.version,
        "target": _plain(override.target),
        "floor": _plain(override.floor),
    }
    return signing.dumps(values, salt=_SEEN_SALT, compress=True)


class UploadForm(forms.Form):
    """Imported figures, targets or both, in the interchange format's CSV files."""

    imported_indicators = forms.FileField(
        label="Imported indicator values (imported_indicators.csv)",
        required=False,
        help_text=(
            "Columns indicator_code, period, org_unit_code, value, numerator, denominator: "
            "a value for a month of the COUNTY, an AREA or a DISTRICT."
        ),
    )
    targets = forms.FileField(
        label="Targets (targets.csv)",
        required=False,
        help_text="Columns indicator_code, year, target, floor: each row replaces the default.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("imported_indicators") and not data.get("targets"):
            self.add_error(
                "imported_indicators",
                "Choose a file to upload: imported_indicators.csv, targets.csv or both.",
            )
        for name in ("imported_indicators", "targets"):
            upload = data.get(name)
            if upload is not None and upload.size > MAX_UPLOAD_MB * 1024 * 1024:
                self.add_error(name, f"The file must be smaller than {MAX_UPLOAD_MB} MB.")
        return data

    def add_import_errors(self, errors: list[str]) -> None:
        """The import's errors (`file:line: column: message`) as `line N: column: message`
        under their file (`import_errors`), and one error on that file's field."""
        fields = {"imported_indicators.csv": "imported_indicators", "targets.csv": "targets"}
        self.import_errors: dict[str, list[str]] = {}
        for text in errors:
            file, _, rest = text.partition(":")
            line, _, message = rest.partition(": ")
            field = fields.get(file)
            if field is None or not line.isdigit():
                self.add_error(None, text)
                continue
            message = message.removeprefix("-: ")
            shown = f"line {line}: {message}" if line != "0" else message
            self.import_errors.setdefault(field, []).append(shown)
        for field, found in self.import_errors.items():
            count = f"{len(found)} error{'s' if len(found) > 1 else ''}"
            self.add_error(field, f"The file has {count}: nothing was imported. Correct them all, "
                                  "then upload it again.")  # fmt: skip

    def summary(self) -> list[tuple[str, str]]:
        """The error summary: (anchor, text), every error of every row of every file."""
        items = [("main-content", str(error)) for error in self.non_field_errors()]
        found = getattr(self, "import_errors", {})
        for name in self.fields:
            anchor = self[name].auto_id
            if name in found:
                file = f"{name}.csv"
                items += [(anchor, f"{file} {text}") for text in found[name]]
            else:
                items += [(anchor, str(error)) for error in self.errors.get(name, [])]
        return items


class SignOffForm(forms.Form):
    period = forms.ChoiceField(
        label="Month",
        help_text="A month that has ended and is not yet signed off.",
        error_messages={
            "required": "Choose the month to sign off.",
            "invalid_choice": "Choose a month that has ended and is not signed off.",
        },
    )

    def __init__(self, *args: Any, months: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", "Choose a month"), *months]
