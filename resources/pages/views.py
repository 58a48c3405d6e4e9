import re

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from ..content import escaping
from ..links import sharing
from ..links.resolve import TemporarilyUnavailable, moved_topic, page_or_redirect
from ..models import RESOURCE_MODELS, Article, CrisisLine, Reference, TreatmentStrategy
from ..models.topics import published_topics
from ..search import query as search


class ResourceListView(ListView):
    paginate_by = 50
    template_name = "resources/resource_list.html"

    def get_queryset(self):
        return self.model.objects.published().prefetch_related("topics")

    def get_context_data(self, **kwargs):
        heading = self.model._meta.verbose_name_plural.capitalize()
        return super().get_context_data(heading=heading, **kwargs)


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
    name = f"{escaping.file_name(reference.key, 'reference')}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


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


def for_forums(request):
    return render(request, "resources/for_forums.html", {"answers": FORUM_ANSWERS})


# Ready answers for forum volunteers: (question, answer, slug of the page to link).
FORUM_ANSWERS = [
    (
        "What is this awful feeling just before my milk lets down?",
        "It may be D-MER: a sudden wave of sadness, dread or anger that comes with letdown "
        "and passes within minutes. The first case report says it appears to have a physical "
        "cause.",
        "resources:article_detail",
        "what-is-d-mer",
    ),
    (
        "Is it postpartum depression?",
        "D-MER comes with letdown and lifts within minutes. Low mood that stays between feeds "
        "is something else. The two can also happen together, so it is worth raising with a "
        "doctor or midwife either way.",
        "resources:article_detail",
        "what-d-mer-is-not",
    ),
    (
        "Will it go away?",
        "Mild D-MER usually eases within about three months; stronger D-MER can last longer. "
        "The page sets out what two sources say.",
        "resources:article_detail",
        "d-mer-spectrum-intensity-and-duration",
    ),
    (
        "What can I do about it?",
        "The sources describe learning about it and tracking what makes it worse or better. "
        "Support from health workers and other mothers with D-MER can help. No approach has "
        "been tested in a trial.",
        "resources:article_detail",
        "coping-with-d-mer",
    ),
    (
        "Does low-dose naltrexone help?",
        "It is one clinician's proposal with no published evidence for D-MER. The page gives "
        "what is known about naltrexone while breastfeeding.",
        "resources:strategy_detail",
        "low-dose-naltrexone",
    ),
    (
        "A member mentions thoughts of suicide.",
        "Point them to crisis lines straight away and say that help is available. This page "
        "puts the numbers first.",
        "resources:help_now",
        None,
    ),
]
