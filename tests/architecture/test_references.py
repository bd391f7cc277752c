"""A page or an API answer names another object only through `visibility.reference_to` (issue 17):
no template reaches through a relation for the title or the page of an object with a visibility
rule of its own (`{{ action.subject.title }}`, `{{ x.pain_point.get_absolute_url }}`), and no
serializer copies one (`source="pain_point.title"`). A new page or field gets the rule too.

The relations checked are found in the models: every foreign key, one-to-one and generic relation
to a model whose manager has `for_user`. Only SEEN_WITH_THE_HOLDER are exempt: relations to an
object whose visibility the holder's own `for_user` already includes (or that everyone signed in
sees), so whoever sees the holder sees it.
"""

import re
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey

ROOT = Path(__file__).resolve().parents[2]

# relation name -> why whoever sees the holder may see what it leads to
SEEN_WITH_THE_HOLDER = {
    "business_unit": "every signed-in user sees the business units (BusinessUnit.for_user)",
    "project": "a revenue entry or stage change is seen by whoever sees its project (same for_user)",
    "committee": "meetings, memberships and decisions are seen by the committee's members only",
    "meeting": "agenda, attendance, action items and decisions belong to the meeting's committee",
    "decision": "a position is seen by whoever sees its decision",
    "initiative": "risks, milestones, benefits, comments and decisions follow their initiative's for_user",
    "evaluation": "an evaluation's options follow its pain point's for_user",
    "event": "a registration is its registrant's, for an event of their audience",
    "member": "a steering membership is seen with its committee",
    "source": "an integration source is IT's, as are the parked tickets and deliveries that name it "
    "(a delivered page's part.source is its section, not a relation)",
    "parked_delivery": "a parked ticket and its delivery are both IT's (the 'needs a unit' queue)",
    "window": "a check-in is the key user's answer about the window they were asked about (its system and times)",
}


def _references() -> set[str]:
    """The names of the relations that lead to an object with a visibility rule of its own."""
    names = set()
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in {"listening", "initiatives", "revenue", "steering", "partnership"}:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, GenericForeignKey) or (
                (field.many_to_one or field.one_to_one)
                and field.concrete
                and hasattr(field.related_model._default_manager, "for_user")
            ):
                names.add(field.name)
    return names - set(SEEN_WITH_THE_HOLDER)


def _through(names) -> re.Pattern:
    """`{{ x.<relation>.anything`, `{{ x.<relation> }}` or `{{ x.<relation>|filter` in a template."""
    alternatives = "|".join(sorted(names))
    return re.compile(r"\{\{\s*[\w.]*\b\w+\.(" + alternatives + r")(\.\w+|\s*\}\}|\s*\|)")


def test_the_relations_checked_include_the_known_references():
    assert {"subject", "merged_into", "listening_session", "pain_point", "action"} <= _references()


def test_the_scan_finds_a_title_reached_through_a_relation():
    pattern = _through(_references())
    for bad in ("{{ a.subject.title }}", "{{ check_in.pain_point.get_absolute_url }}", "{{ p.merged_into }}",
                "{{ p.listening_session|default:'' }}", "{{ s.action.title }}"):
        assert pattern.search(bad), bad
    for fine in ("{{ a.subject_type.name }}", "{{ survey.pain_point_title }}", "{{ entry.project.name }}",
                 "{{ pain_point.title }}", "{{ subject.link }}"):
        assert not pattern.search(fine), fine


def test_no_template_reaches_through_a_relation_for_another_objects_title_or_page():
    pattern = _through(_references())
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for match in pattern.finditer(line)
    ]
    assert not offenders, "Show a reference with {% reference holder \"relation\" %} (partnership/templatetags/references.py):\n" + "\n".join(offenders)


def test_no_serializer_copies_a_field_of_another_object():
    names = "|".join(sorted(_references()))
    pattern = re.compile(r"source=\"(" + names + r")\.(?!pk\b|id\b)\w+")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in sorted(ROOT.glob("*/**/serializers.py"))
        if ".venv" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for match in pattern.finditer(line)
    ]
    assert not offenders, "Use partnership.api.fields.ReferenceField:\n" + "\n".join(offenders)
