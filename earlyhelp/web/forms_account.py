"""Forms of two-factor sign-in: a code from the authenticator app, or a recovery code."""

from __future__ import annotations

from django import forms


class TwoFactorCodeForm(forms.Form):
    """The second step of signing in: the app's code or one recovery code."""

    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows for Early Help, "
        "or one of your recovery codes.",
        max_length=32,
        strip=True,
        error_messages={
            "required": "Enter the code from your authenticator app, or a recovery code."
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", width="10")


class TwoFactorSetUpForm(forms.Form):
    """Confirms the app was set up: the code it now shows."""

    code = forms.CharField(
        label="Code from the app",
        help_text="The 6-digit code the app shows for Early Help.",
        max_length=12,
        strip=True,
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", inputmode="numeric", width="5"
        )
