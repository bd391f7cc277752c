"""References to other objects on a page, shown only to a reader who may see them.

    {% load references %}
    {% reference action "subject" %}               a link to the subject, or "An item you cannot see"
    {% reference pain_point "merged_into" as target %}{% if target.visible %}...{{ target.url }}...{% endif %}

`holder.relation` is asked through its model's `for_user(request.user)` (see
`partnership.visibility.reference_to`); a list prefetches it with `visibility.readable` so that a
row costs no query. Nothing is shown without a reference; a template never reaches through a
relation for its title (tests/architecture/test_references.py).
"""

from django import template

from ..visibility import reference_to

register = template.Library()


@register.simple_tag(takes_context=True)
def reference(context, holder, relation: str):
    """The `Reference` of `holder.<relation>` for the page's reader ("" without one)."""
    request = context.get("request")
    return reference_to(getattr(request, "user", None), holder, relation) or ""
