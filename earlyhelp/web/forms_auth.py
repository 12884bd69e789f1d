"""The sign-in form, with messages that say what to do."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class _SecretBoundField(forms.BoundField):
    """A password is never sent back to the browser, even when the form has errors."""

    def value(self) -> str:
        return ""


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your administrator.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username."
        self.fields["password"].error_messages["required"] = "Enter your password."
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )
        self.fields["password"].bound_field_class = _SecretBoundField
