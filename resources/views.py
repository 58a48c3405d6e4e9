import re

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from . import search, sharing, site_texts
from .models import Article, CrisisLine, Reference, SlugRedirect, TreatmentStrategy

RESOURCE_MODELS = (Article, TreatmentStrategy, Reference)


class ResourceListView(ListView):
    paginate_by = 50
    template_name = "resources/resource_list.html"

    def get_queryset(self):
        return self.model.objects.published().prefetch_related("topics")

    def get_context_data(self, **kwargs):
        heading = self.model._meta.verbose_name_plural.capitalize()
        return super().get_context_data(heading=heading, **kwargs)


def find_page(model, slug):
    """The resource a link to ``slug`` means, and whether the link has moved.

    Links from forums live for years: an old slug, a merged resource or a page moved to a
    replacement answers with the address the reader should land on (``moved`` is True).
    Archived pages still answer at their own address, with a notice. None: no such page.
    """
    pages = model.objects.with_public_page().prefetch_related("topics")
    obj, moved = pages.filter(slug=slug).first(), False
    if obj is None:
        obj, moved = SlugRedirect.target(model, slug, queryset=pages), True
        if obj is None:
            return None, False
    landing = obj.landing_page()
    return landing, moved or landing.pk != obj.pk


def page_or_redirect(model, slug):
    """Raise 404 (kindly, if the page was public once) or return (object, redirect or None)."""
    obj, moved = find_page(model, slug)
    if obj is None:
        if model.objects.filter(slug=slug, first_published_at__isnull=False).exists():
            raise TemporarilyUnavailable
        raise Http404("No such page.")
    return obj, (redirect(obj, permanent=True) if moved else None)


class TemporarilyUnavailable(Http404):
    """A page that was public and has gone back to draft for rework."""


class ResourceDetailView(DetailView):
    def get(self, request, *args, **kwargs):
        try:
            self.object, moved = page_or_redirect(self.model, kwargs["slug"])
        except TemporarilyUnavailable:
            return render(request, "resources/unavailable.html", status=404)
        if moved:
            return moved
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(resource_page_context(self.object))
        context["meta"] = sharing.page_meta(self.request, self.object)
        context["json_ld"] = sharing.json_ld(self.request, self.object)
        if "archived" not in context:  # archived pages are kept for old links, not shared
            context["related"] = search.related(self.object)
            context["share_texts"] = sharing.share_texts(self.object, context["meta"]["canonical"])
        return context


def resource_page_context(obj):
    """What a resource page shows, published or previewed: its text, sources, crisis lines."""
    context = {"object": obj, "rendered": obj.rendered()}
    if obj.status == obj.Status.ARCHIVED:
        context["archived"] = {"replacement": obj.live_replacement()}
    if obj.crisis_help:
        context["crisis_lines"] = list(CrisisLine.objects.shown())
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
        keys = "|".join(re.escape(key) for key in self.object.citation_keys())
        pattern = rf"\[[^\]]*@({keys})\s*[];,]"
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
    try:
        reference, moved = page_or_redirect(Reference, slug)
    except TemporarilyUnavailable:
        raise Http404("This reference is being revised.") from None
    if moved:
        name = "resources:reference_bibtex" if fmt == "bib" else "resources:reference_ris"
        return redirect(name, slug=reference.slug, permanent=True)
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
    topic = Tag.objects.filter(slug=slug).first()
    if topic is None:
        moved = moved_topic(slug)
        if moved is None:
            raise Http404("No such topic.")
        return redirect("resources:topic_detail", slug=moved.slug, permanent=True)
    sections = [
        (
            model._meta.verbose_name_plural,
            list(model.objects.published().filter(topics=topic).prefetch_related("topics")),
        )
        for model in RESOURCE_MODELS
    ]
    retired = not any(items for _, items in sections)
    if retired and not any(
        model.objects.with_public_page().filter(topics=topic).exists() for model in RESOURCE_MODELS
    ):
        raise Http404("No published resource has this topic.")
    # A topic whose pages were all archived keeps its address, saying so.
    context = {"topic": topic, "sections": sections, "retired": retired}
    return render(request, "resources/topic_detail.html", context)


def moved_topic(slug):
    """The topic that once had this slug (renamed or merged away), if any."""
    return SlugRedirect.target(Tag, slug, queryset=Tag.objects.all())


def current_topic_slug(slug):
    """(the topic's slug now, whether it moved) for a slug from a link; (None, False) if
    no topic ever had it. Shared search links, feeds and API filters follow renames."""
    if Tag.objects.filter(slug=slug).exists():
        return slug, False
    moved = moved_topic(slug)
    return (moved.slug, True) if moved is not None else (None, False)


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
        "crisis_lines": CrisisLine.objects.shown(),
        "crisis_articles": Article.objects.published().filter(crisis_help=True),
    }
    return render(request, "resources/help_now.html", context)


class AboutView(TemplateView):
    template_name = "resources/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            crisis_lines=CrisisLine.objects.shown(),
            sections=site_texts.about_sections(),
            contact_email=settings.CONTACT_EMAIL,
            **kwargs,
        )


SHORT_CODE_MODELS = {model.short_prefix: model for model in RESOURCE_MODELS}


def short_link(request, code):
    """/r/a12 -> the article's current address, whatever its title or slug became."""
    model = SHORT_CODE_MODELS.get(code[:1])
    if model is None or not code[1:].isdigit():
        raise Http404("No such short link.")
    obj = get_object_or_404(model.objects.with_public_page(), pk=int(code[1:]))
    return redirect(obj.landing_page(), permanent=True)


def for_forums(request):
    # The ready answers are site texts that moderators edit (site_texts.py).
    answers = site_texts.texts(site_texts.FORUM_ANSWER)
    return render(request, "resources/for_forums.html", {"answers": answers})
