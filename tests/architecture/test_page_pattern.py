"""Every page takes the one path "valid form -> service -> refusal on the form, or redirect with a
message" of partnership/pages.py: no view catches a service's ValidationError itself, so no view can
forget to (a refusal that escapes a view is a 500 for the user)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["listening", "initiatives", "revenue", "steering", "partnership"]


def _view_modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "api" in relative.parts or "migrations" in relative.parts:
                continue
            if path.name == "views.py" or "views" in relative.parts[:-1]:
                yield relative, path


def _catches_validation_error(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(
        (isinstance(n, ast.Name) and n.id == "ValidationError")
        or (isinstance(n, ast.Attribute) and n.attr == "ValidationError")
        for n in names
        if n is not None
    )


def test_the_view_modules_are_found():
    found = {str(relative) for relative, _ in _view_modules()}
    assert {"listening/views.py", "initiatives/views.py", "steering/views/meetings.py",
            "partnership/extramile/views.py", "partnership/score/views.py"} <= found


def test_no_view_catches_a_services_refusal_itself():
    offenders = []
    for relative, path in _view_modules():
        source = path.read_text()
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            # A selector's ValidationError (a read of a malformed reference) may be caught where it
            # is marked so; a service's refusal never.
            if "not-a-refusal" in lines[getattr(node, "lineno", 1) - 1]:
                continue
            if isinstance(node, ast.ExceptHandler) and _catches_validation_error(node):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == [], "use partnership.pages.submit() or act(): " + ", ".join(offenders)
