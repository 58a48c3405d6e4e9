"""Add forms that are saved at most once, however often they are sent (pages/once.py)."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from ..pages.once import ALREADY_SENT, FIELD, claim, with_token


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
