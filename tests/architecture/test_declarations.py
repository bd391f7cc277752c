"""Pillars declare their indicators, attention items and reminder kinds; nothing is imported for
its side effects (issue 16): the shared apps collect the declared lists when they are ready."""

import ast
import pathlib

from django.apps import apps

from partnership.declarations import declared
from partnership.notifications.registry import registered_kinds
from partnership.score.registry import attention_sources, registered_indicators

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _project_app_configs():
    return [
        c
        for c in apps.get_app_configs()
        if pathlib.Path(c.path).is_relative_to(ROOT)
        and "site-packages" not in c.path
        and (pathlib.Path(c.path) / "apps.py").exists()
    ]


def test_no_app_config_imports_a_module_for_its_side_effects():
    offenders = []
    for config in _project_app_configs():
        tree = ast.parse((pathlib.Path(config.path) / "apps.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module is None:
                offenders.append(f"{config.label}: from . import {', '.join(a.name for a in node.names)}")
    assert offenders == []


def test_every_declared_indicator_attention_item_and_reminder_kind_is_collected():
    indicators = declared("indicators", "INDICATORS")
    kinds = declared("reminders", "REMINDER_KINDS")
    # Every pillar declares something: a pillar whose list went missing would drop out silently.
    pillars_with_indicators = {i.key.split(".")[0] for i in indicators}
    assert pillars_with_indicators == {"listening", "initiatives", "revenue", "steering", "extra_mile"}
    assert {i.key for i in indicators} <= {i.key for i in registered_indicators()}
    assert {s.key for s in declared("indicators", "ATTENTION")} <= {s.key for s in attention_sources()}
    assert {k.key for k in kinds} <= {k.key for k in registered_kinds()}
    assert len({k.key for k in kinds}) == len(kinds), "two apps declare the same reminder kind key"
    assert {k.key.split(".")[0] for k in kinds} >= {"listening", "initiatives", "revenue", "steering", "extramile", "partnership"}
