"""How a page looks when a link to it is pasted somewhere: previews, share text, JSON-LD."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from ..content.escaping import bbcode_text, bbcode_url, markdown_text, markdown_url, one_line

SHARE_IMAGE = {"path": "img/share.png", "width": 1200, "height": 630, "type": "image/png"}


def absolute(request, path):
    """An absolute URL: SITE_URL when set (behind a proxy), else the request's own host."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def share_image(request):
    return {**SHARE_IMAGE, "url": absolute(request, static(SHARE_IMAGE["path"]))}


def share_texts(obj, url):
    """The share box: plain link, Markdown, BBCode and, for references, a citation.

    Each text is escaped for its own syntax: a title cannot close the link and open another.
    """
    texts = [
        ("Link", url),
        ("Markdown", f"[{markdown_text(obj.title)}]({markdown_url(url)})"),
        (
            "BBCode (phpBB and similar forums)",
            f"[url={bbcode_url(url)}]{bbcode_text(obj.title)}[/url]",
        ),
    ]
    if hasattr(obj, "citation"):
        texts.append(("Citation", one_line(obj.citation())))
    return texts


def breadcrumbs(request, obj):
    label, name = obj._meta.verbose_name_plural.capitalize(), f"resources:{obj.list_url_name}"
    return [
        ("Home", absolute(request, reverse("resources:home"))),
        (label, absolute(request, reverse(name))),
        (obj.title, absolute(request, obj.get_absolute_url())),
    ]


def _person(name):
    return {"@type": "Person", "name": name}


def json_ld(request, obj):
    """schema.org data for a resource page, with its breadcrumb trail."""
    url = absolute(request, obj.get_absolute_url())
    image = share_image(request)["url"]
    if obj._meta.model_name == "reference":
        kind = "Book" if obj.ref_type == obj.Type.BOOK else "ScholarlyArticle"
        data = {
            "@type": kind,
            "name": obj.title,
            "headline": obj.title[:110],
            "description": obj.summary,
            "url": url,
            "author": [_person(name) for name in obj.author_list()],
        }
        if obj.year:
            data["datePublished"] = str(obj.year)
        if obj.doi:
            data["sameAs"] = obj.doi_url()
            data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": obj.doi}
        if obj.container_title and kind == "ScholarlyArticle":
            data["isPartOf"] = {"@type": "Periodical", "name": obj.container_title}
        if obj.isbn:
            data["isbn"] = obj.isbn
    else:
        data = {
            "@type": "MedicalWebPage",
            "name": obj.title,
            "headline": obj.title[:110],
            "description": obj.summary,
            "url": url,
            "image": image,
            "dateCreated": obj.created_at.isoformat(),
            "dateModified": obj.updated_at.isoformat(),
            "inLanguage": "en",
            "about": {"@type": "MedicalCondition", "name": "Dysphoric milk ejection reflex"},
            "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        }
        if obj.last_reviewed_on:
            data["lastReviewed"] = obj.last_reviewed_on.isoformat()
        if obj.reviewed_by:
            data["reviewedBy"] = _person(obj.reviewed_by)
    trail = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": item}
            for n, (name, item) in enumerate(breadcrumbs(request, obj), start=1)
        ],
    }
    graph = {"@context": "https://schema.org", "@graph": [data, trail]}
    # Safe inside <script>: no "</script>" or "<!--" can close or confuse the element.
    text = json.dumps(graph, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_meta(request, obj=None):
    """Title, description, canonical URL, Open Graph and Twitter card values."""
    image = share_image(request)
    if obj is None:
        return {
            "canonical": absolute(request, request.path),
            "og_type": "website",
            "image": image,
        }
    return {
        "canonical": absolute(request, obj.get_absolute_url()),
        "og_type": "article",
        "image": image,
        "short_url": absolute(request, obj.get_short_url()),
        "oembed_url": absolute(request, reverse("resources:oembed"))
        + "?url="
        + absolute(request, obj.get_absolute_url()),
    }
