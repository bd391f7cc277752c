"""No import cycles between the project's modules, counting the imports inside functions.

An import written inside a function to dodge a cycle at load time is still a dependency: the
two modules still need each other, and the next change that moves the import up breaks start-up.
So every `import` and `from ... import` anywhere in a module (functions, methods, `if` blocks)
counts. `pkg/__init__.py` is the module `pkg`; `from pkg import name` counts as importing
`pkg.name` when that is a module of the project, else `pkg`. Test code and migrations are left
out: nothing imports them.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("listening", "initiatives", "revenue", "steering", "partnership")
SKIPPED_DIRS = {"migrations", "tests", "__pycache__"}


def project_modules(root: Path = ROOT, packages=PACKAGES) -> dict[str, Path]:
    """Dotted name -> file of every non-test, non-migration module of the project."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED_DIRS & set(relative.parts[:-1]) or path.name.startswith("test_"):
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _longest_known_prefix(dotted: str, known) -> str | None:
    parts = dotted.split(".")
    while parts:
        name = ".".join(parts)
        if name in known:
            return name
        parts.pop()
    return None


def imports_of(module: str, path: Path, known) -> set[str]:
    """The project modules `module` imports anywhere in its file."""
    is_package = path.name == "__init__.py"
    package_parts = module.split(".") if is_package else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _longest_known_prefix(alias.name, known)
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package_parts[: len(package_parts) - (node.level - 1)] if node.level > 1 else package_parts
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                submodule = f"{base}.{alias.name}" if base else alias.name
                target = submodule if submodule in known else _longest_known_prefix(base, known)
                if target:
                    found.add(target)
    found.discard(module)
    return found


def import_graph(root: Path = ROOT, packages=PACKAGES) -> dict[str, set[str]]:
    modules = project_modules(root, packages)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def strongly_connected_components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (a long chain of modules must not hit the recursion limit)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def a_cycle_through(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One concrete cycle inside a strongly connected component, as a -> b -> ... -> a."""
    members = set(component)
    start = component[0]
    # Breadth-first from each successor of `start` back to `start`: the shortest cycle through it.
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & members):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return [*component, start]


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per group of modules that import each other (a strongly connected component)."""
    return [a_cycle_through(c, graph) for c in strongly_connected_components(graph) if len(c) > 1]


def describe(cycles: list[list[str]], graph: dict[str, set[str]]) -> str:
    lines = []
    for cycle in cycles:
        group = {c for component in strongly_connected_components(graph) if cycle[0] in component for c in component}
        others = sorted(group - set(cycle))
        lines.append(" -> ".join(cycle) + (f"  (with {', '.join(others)} in the same knot)" if others else ""))
    return "\n".join(lines)


# --- The scanner finds what it must (so the real test below can fail) -----------------------------


def _tree(tmp_path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_scan_finds_a_cycle_hidden_inside_a_function(tmp_path):
    root = _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/services.py": "from app.events import emit\n",
            "app/events.py": "def emit():\n    from . import services\n",
        },
    )
    assert import_cycles(import_graph(root, ("app",))) == [["app.events", "app.services", "app.events"]]


def test_the_scan_resolves_relative_imports_packages_and_submodules_named_in_from(tmp_path):
    root = _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/migrations/__init__.py": "from app import models\n",
            "app/models.py": "import app.sub.deep\nfrom app import choices\n",
            "app/choices.py": "from .sub import CONSTANT\n",
            "app/sub/__init__.py": "CONSTANT = 1\nfrom . import deep\n",
            "app/sub/deep.py": "from ..choices import X\nimport os\nfrom django.db import models\n",
        },
    )
    graph = import_graph(root, ("app",))
    assert graph == {
        "app": set(),
        "app.models": {"app.sub.deep", "app.choices"},
        "app.choices": {"app.sub"},
        "app.sub": {"app.sub.deep"},
        "app.sub.deep": {"app.choices"},
    }
    assert import_cycles(graph) == [["app.choices", "app.sub", "app.sub.deep", "app.choices"]]


def test_a_package_importing_its_own_submodules_is_no_cycle(tmp_path):
    root = _tree(
        tmp_path,
        {
            "app/__init__.py": "from .celery import app\n",
            "app/celery.py": "from app.settings import X\n",
            "app/settings.py": "X = 1\n",
        },
    )
    assert import_cycles(import_graph(root, ("app",))) == []


# --- The project ------------------------------------------------------------------------------


def test_the_project_scan_sees_the_apps_and_the_imports_inside_functions():
    graph = import_graph()
    assert {"listening.services", "partnership.services", "partnership.score.rollup", "steering.views"} <= set(graph)
    assert not any(".migrations" in name for name in graph)
    # The extra mile's reminder kinds import its models inside their functions only.
    assert "partnership.extramile.models" in graph["partnership.extramile.reminders"]


def test_no_module_of_the_project_imports_itself_back_through_others():
    graph = import_graph()
    cycles = import_cycles(graph)
    assert not cycles, "import cycles (move the shared code down, or register a callback):\n" + describe(cycles, graph)
