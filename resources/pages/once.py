"""Forms that can be sent once: the token field, and the check (models/safeguards.py)."""

import secrets

from django import forms

from ..models import FormToken

FIELD = "form_token"
ALREADY_SENT = "This form had already been sent, and was saved once; the repeat was ignored."
INCOMPLETE = "This form was incomplete or too old. Check it and send it again."


def new_token():
    return secrets.token_urlsafe(24)


def claim(token):
    return FormToken.claim(token)


class TokenField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=64, initial=new_token, **kwargs)


def with_token(form_class):
    """The form class with a one-time token field; a form sent without one is refused,
    and shown again with a fresh token. A form that fails validation keeps its token."""

    def clean(self):
        cleaned = form_class.clean(self)
        if not self.cleaned_data.get(FIELD):
            self.data = self.data.copy()  # shown again with a fresh token to send
            self.data[self.add_prefix(FIELD)] = new_token()
            raise forms.ValidationError(INCOMPLETE, code="no_token")
        return cleaned

    return type(form_class.__name__, (form_class,), {FIELD: TokenField(), "clean": clean})
