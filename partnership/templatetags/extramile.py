"""Template tags of "Take the extra mile" for other apps' pages.

On the pain point page: `{% load extramile %}{% extramile_pain_point_panel pain_point %}` shows
the post-resolution survey results, the extra-mile actions that followed it and, for IT, a link
that opens the quick log prefilled. The caller has already checked that the user sees the pain
point. Three queries.
"""

from django import template

from ..extramile import selectors
from ..roles import is_it_staff

register = template.Library()


@register.inclusion_tag("extramile/_pain_point_panel.html", takes_context=True)
def extramile_pain_point_panel(context, pain_point):
    user = context["request"].user
    return {
        "pain_point": pain_point,
        "results": selectors.survey_results(pain_point),
        "actions": list(selectors.actions_for_pain_point(pain_point, user=user)[:10]),
        "is_it": is_it_staff(user),
    }


@register.simple_tag
def extramile_log_url(subject_parameter: str, pk) -> str:
    """The quick log prefilled from a page: `{% extramile_log_url "initiative" initiative.pk %}`."""
    from django.urls import reverse

    return f"{reverse('extramile:action-create')}?{subject_parameter}={pk}"
