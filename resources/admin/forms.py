"""Forms and widgets of the resource admin: topics, conflicts, slug redirects."""

from django import forms
from django.urls import reverse
from taggit.forms import TagField, TagWidget
from taggit.models import Tag

from ..content import topics as topic_text


class ConflictingEdit(Exception):
    pass


class TopicInput(TagWidget):
    """The topic field: as the moderator types, existing topics are suggested."""

    class Media:
        js = ["js/topic-autocomplete.js"]
        css = {"all": ["css/admin-extra.css"]}

    def __init__(self, suggest_url, attrs=None):
        super().__init__(attrs={
            "data-suggest-url": suggest_url, "autocomplete": "off", "size": 60,
            "role": "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
            **(attrs or {}),
        })  # fmt: skip


def topic_suggestion_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_topic_suggestions")


class AddTopicsForm(forms.Form):
    topics = TagField(
        label="Topics to add",
        help_text="Separate topics with commas. Existing topics are suggested as you type.",
    )

    def __init__(self, model_admin, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].widget = TopicInput(topic_suggestion_url(model_admin.model))

    def clean_topics(self):
        names = self.cleaned_data["topics"]
        if not names:
            raise forms.ValidationError("Type at least one topic.")
        # Existing topics keep their own capitals: "sleep" adds "Sleep".
        found = [Tag.objects.filter(name__iexact=name).first() or name for name in names]
        return clean_topic_names([str(tag) for tag in found])


class RemoveTopicsForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), widget=forms.CheckboxSelectMultiple,
        label="Topics to remove",
    )  # fmt: skip

    def __init__(self, present, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Tag.objects.filter(pk__in=[t.pk for t in present])


def clean_topic_names(names):
    for name in names:
        if "," in name:
            raise forms.ValidationError(
                f"Topic names cannot contain commas: “{name}”. Use two topics, or another word."
            )
    return names


class ResourceForm(forms.ModelForm):
    """Carries the version the moderator started from, to catch conflicting edits."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    topics_from_revision = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        if self.topics_from_revision and "topics" in self.fields:
            recorded = topic_text.names_from_text(self.instance.topic_names)
            self.initial["topics"] = [Tag(name=name) for name in recorded]

    def clean_topics(self):
        return clean_topic_names(self.cleaned_data.get("topics") or [])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = type(self.instance).objects.filter(pk=self.instance.pk).first()
            if current is not None and current.version != cleaned.get("loaded_version"):
                raise forms.ValidationError(
                    "Someone else saved this page after you opened it (last change at "
                    f"{current.updated_at:%H:%M:%S} UTC). Your changes have not been saved: "
                    "open the page again to see theirs, then make your edit.",
                    code="conflict",
                )
        return cleaned
