"""The shape of the code, checked: the core (``portal/``) imports no feature app, its sub-apps depend on one another
without cycles, the shared helpers at the top of ``portal/`` import no app at all, and no module grows past a size a
newcomer can read in one sitting.

Imports are read from the source (``ast``), inside functions too: an import placed in a function to dodge a cycle is
still a dependency.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEATURE_APPS = frozenset(
    {
        "dossiers",
        "feedback",
        "ratings",
        "faq",
        "statistics",
        "loadtest",
        "payments",
        "postal",
        "signing",
        "eforms",
        "public_statistics",
    }
)
APP_PACKAGES = ("portal", "integrations", *sorted(FEATURE_APPS))
# The project's wiring: settings, root URLs, the API router, the Celery and WSGI/gunicorn entry points assemble the
# apps and may name any of them. Every other top-level module of portal/ is a shared helper (env, http, rate
# limiting, request size, the PDF renderer, the province-admin-only admin base, …) that imports no app.
WIRING_MODULES = frozenset(
    {"portal", *(f"portal.{name}" for name in ("settings", "urls", "api", "celery", "wsgi", "gunicorn_conf"))}
)
MAX_LINES = 650
# Edges between core sub-apps that are known and have an owner; each names the one module allowed to make it.
KNOWN_EDGES = {
    # The catalogue-version bump after an agency is edited in the admin belongs to the catalogue's own receivers;
    # moving it is part of the caching rework (issue 11, section 1).
    ("portal.agencies", "portal.catalog"): "portal/agencies/admin.py",
}
KNOWN_LONG_MODULES: dict[str, str] = {}


def _python_files(package: str):
    base = ROOT / package
    if not base.is_dir():
        return
    for path in sorted(base.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names.add(prefix)
            names.update(f"{prefix}.{alias.name}" for alias in node.names)
    return names


def _core_unit(module: str) -> str | None:
    """``portal.accounts.services`` → ``portal.accounts`` (a sub-app has an ``apps.py``); a shared helper
    (``portal.http``, ``portal.pdf.render``) → ``portal``."""
    parts = module.split(".")
    if parts[0] != "portal":
        return None
    if len(parts) == 1:
        return "portal"
    if (ROOT / "portal" / parts[1] / "apps.py").is_file():
        return f"portal.{parts[1]}"
    return "portal"  # a module or package of shared helpers (portal/pdf/, portal/formats/)


def _core_files():
    for path in _python_files("portal"):
        yield path, _module_name(path)


def test_the_core_imports_no_feature_app():
    offenders = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path, _module in _core_files()
        for name in _imports(path)
        if name.split(".")[0] in FEATURE_APPS
    )
    assert not offenders, "portal/ must not import a feature app:\n" + "\n".join(offenders)


def test_the_shared_helpers_at_the_top_of_portal_import_no_app():
    offenders = []
    for path, module in _core_files():
        if _core_unit(module) != "portal" or module in WIRING_MODULES:
            continue
        for name in _imports(path):
            unit = _core_unit(name)
            if (unit and unit != "portal") or name.split(".")[0] in FEATURE_APPS:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, "shared helpers import no app:\n" + "\n".join(sorted(offenders))


def _core_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path, module in _core_files():
        source = _core_unit(module)
        if source == "portal":
            continue
        relative = str(path.relative_to(ROOT))
        for name in _imports(path):
            target = _core_unit(name)
            if target in (None, "portal", source) or KNOWN_EDGES.get((source, target)) == relative:
                continue
            graph[source].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                found.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_the_core_sub_apps_import_one_another_without_cycles():
    cycles = _cycles(_core_graph())
    assert not cycles, "import cycles between portal sub-apps:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_the_cycle_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": {"c"}}) == []


def test_no_module_of_the_apps_passes_the_size_limit():
    long_modules = []
    for package in APP_PACKAGES:
        for path in _python_files(package):
            relative = str(path.relative_to(ROOT))
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES and relative not in KNOWN_LONG_MODULES:
                long_modules.append(f"{relative}: {lines} lines")
    assert not long_modules, f"modules past {MAX_LINES} lines (split them along their seams):\n" + "\n".join(
        long_modules
    )
