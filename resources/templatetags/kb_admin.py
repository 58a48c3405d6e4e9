from django import template

from ..curation import dashboard

register = template.Library()


@register.simple_tag
def review_dashboard():
    return dashboard.rows()


@register.simple_tag
def attention_queues():
    return dashboard.queues()
