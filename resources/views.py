import re

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from . import search
from .models import Article, CrisisLine, Reference, TreatmentStrategy

RESOURCE_MODELS = (Article, TreatmentStrategy, Reference)


class PublishedMixin:
    """Public pages only ever start from ``published()``."""

    def get_queryset(self):
        return self.model.objects.published().prefetch_related("topics")


class ResourceListView(PublishedMixin, ListView):
    paginate_by = 50
    template_name = "resources/resource_list.html"

    def get_context_data(self, **kwargs):
        heading = self.model._meta.verbose_name_plural.capitalize()
        return super().get_context_data(heading=heading, **kwargs)


class ResourceDetailView(PublishedMixin, DetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rendered"] = self.object.rendered()
        context["related"] = search.related(self.object)
        if self.object.crisis_help:
            context["crisis_lines"] = list(CrisisLine.objects.all())
        return context


class ArticleListView(ResourceListView):
    model = Article


class ArticleDetailView(ResourceDetailView):
    model = Article


class StrategyListView(ResourceListView):
    model = TreatmentStrategy
    template_name = "resources/strategy_list.html"


class StrategyDetailView(ResourceDetailView):
    model = TreatmentStrategy
    template_name = "resources/strategy_detail.html"


class ReferenceListView(ResourceListView):
    model = Reference


class ReferenceDetailView(ResourceDetailView):
    model = Reference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Portable between SQLite and PostgreSQL regex dialects: the key ends at ] ; or ,
        pattern = rf"\[[^\]]*@{re.escape(self.object.key)}\s*[];,]"
        context["cited_by"] = [
            *Article.objects.published().filter(body__regex=pattern),
            *TreatmentStrategy.objects.published().filter(
                Q(description__regex=pattern)
                | Q(mechanism__regex=pattern)
                | Q(evidence__regex=pattern)
                | Q(breastfeeding_safety__regex=pattern)
                | Q(discuss_with_clinician__regex=pattern)
            ),
        ]
        return context


def reference_export(request, slug, fmt):
    reference = get_object_or_404(Reference.objects.published(), slug=slug)
    if fmt == "bib":
        body, content_type = reference.bibtex(), "application/x-bibtex; charset=utf-8"
    else:
        body, content_type = reference.ris(), "application/x-research-info-systems; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{reference.key}.{fmt}"'
    return response


def published_topics():
    """Topics used by at least one published resource, with how many."""
    counts = {}
    for model in RESOURCE_MODELS:
        rows = (
            Tag.objects.filter(
                taggit_taggeditem_items__content_type__model=model._meta.model_name,
                taggit_taggeditem_items__object_id__in=model.objects.published().values("pk"),
            )
            .annotate(n=Count("taggit_taggeditem_items"))
            .values_list("pk", "n")
        )
        for pk, n in rows:
            counts[pk] = counts.get(pk, 0) + n
    topics = list(Tag.objects.filter(pk__in=counts).order_by("name"))
    for topic in topics:
        topic.resource_count = counts[topic.pk]
    return topics


def topic_list(request):
    return render(request, "resources/topic_list.html", {"topics": published_topics()})


def topic_detail(request, slug):
    topic = get_object_or_404(Tag, slug=slug)
    sections = [
        (
            model._meta.verbose_name_plural,
            list(model.objects.published().filter(topics=topic).prefetch_related("topics")),
        )
        for model in RESOURCE_MODELS
    ]
    if not any(items for _, items in sections):
        raise Http404("No published resource has this topic.")
    return render(request, "resources/topic_detail.html", {"topic": topic, "sections": sections})


class HomeView(TemplateView):
    template_name = "resources/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start_here = list(
            Article.objects.published().filter(start_here__isnull=False).order_by("start_here")
        )
        context.update(
            intro=start_here[0] if start_here else None,
            start_here=start_here[1:],
            strategies=TreatmentStrategy.objects.published(),
            topics=published_topics(),
        )
        return context


def help_now(request):
    context = {
        "crisis_lines": CrisisLine.objects.all(),
        "crisis_articles": Article.objects.published().filter(crisis_help=True),
    }
    return render(request, "resources/help_now.html", context)


class AboutView(TemplateView):
    template_name = "resources/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            crisis_lines=CrisisLine.objects.all(),
            contact_email=settings.CONTACT_EMAIL,
            **kwargs,
        )
