"""Forms that can be sent once: a double click or a resent POST does not store twice.

Every add form and the readers' suggestion form carry a one-time token. The token is
written to the database in the same transaction as the object it creates, under a unique
constraint: of two identical submissions, even simultaneous ones, one saves and the other
is told its form was already sent. A form that fails validation does not use up its token,
so the corrected form can still be sent.
"""

import datetime
import secrets

from django import forms
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

FIELD = "form_token"
KEEP = datetime.timedelta(days=2)
ALREADY_SENT = "This form had already been sent, and was saved once; the repeat was ignored."
INCOMPLETE = "This form was incomplete or too old. Check it and send it again."


class FormToken(models.Model):
    """A sent form's token; rows older than two days are removed as new ones arrive."""

    token = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "resources"

    def __str__(self):
        return self.token


def new_token():
    return secrets.token_urlsafe(24)


def claim(token):
    """True the first time a token is seen, False after. Call inside the transaction that
    saves, so that a rolled-back save gives the token back."""
    if not token or len(token) > 64:
        return False
    try:
        with transaction.atomic():
            FormToken.objects.create(token=token)
    except IntegrityError:
        return False
    FormToken.objects.filter(used_at__lt=timezone.now() - KEEP).delete()
    return True


class TokenField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=64, initial=new_token, **kwargs)


def with_token(form_class):
    """The form class with a one-time token field; a form sent without one is refused."""

    def clean(self):
        cleaned = form_class.clean(self)
        if not self.cleaned_data.get(FIELD):
            self.data = self.data.copy()  # shown again with a fresh token to send
            self.data[self.add_prefix(FIELD)] = new_token()
            raise forms.ValidationError(INCOMPLETE, code="no_token")
        return cleaned

    return type(form_class.__name__, (form_class,), {FIELD: TokenField(), "clean": clean})


class SendOnceAdmin:
    """ModelAdmin mixin: the add form carries a token and is saved at most once."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return form if obj is not None else with_token(form)

    def get_fields(self, request, obj=None):
        # Rendered at the top of the form (templates/admin/change_form.html), not in a row.
        return [name for name in super().get_fields(request, obj) if name != FIELD]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        token = request.POST.get(FIELD, "")
        if object_id is not None or request.method != "POST" or not token:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            if not claim(token):
                self.message_user(request, ALREADY_SENT, messages.WARNING)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                )
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if "adminform" in (getattr(response, "context_data", None) or {}):
                transaction.set_rollback(True)  # shown again with errors: not sent yet
            return response
