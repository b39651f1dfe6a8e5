"""The layers of DESIGN.md, kept by reading every module's imports (an AST test, no imports run).

1. records and extraction: items, the parser and its helpers, list and pager reading, profiles;
   pure: no Scrapy, Twisted, Redis or SQLite;
2. the archive library: schema and migrations, the writer, runs, search, fixity, export,
   history, reparse; no Scrapy, Twisted or Redis;
3. the Scrapy layer: spiders, middlewares, extensions, pipelines;
4. the application: the CLI, the crawl runner, the distributed worker and writer, serve.

A module imports only from its own layer or the ones below; project imports inside functions
are only for heavy dependencies a command may not need, named in OPTIONAL_INSIDE. KNOWN lists
imports that break a rule and are tolerated for now: empty, and an entry that no longer occurs
fails the test, so the list stays honest.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "pipelines", "archive", "replica")
LAYERS = {
    1: ("crawler.items", "crawler.parse", "crawler.generic", "crawler.meta", "crawler.body", "crawler.labels",
        "crawler.patterns", "crawler.dates", "crawler.layout", "crawler.encoding", "crawler.lists",
        "crawler.pagination", "crawler.profiles", "crawler.profiling", "crawler.evaluation", "crawler.sites",
        "crawler.rules", "crawler.documents",
        "crawler"),
    2: ("archive.db", "archive.records", "archive.search", "archive.fixity", "archive.export", "archive.history",
        "archive.reparse", "archive.background", "archive.processes", "archive.attachments", "archive.facets", "archive.lock", "archive.warcfiles", "archive"),
    3: ("crawler.spiders", "crawler.middlewares", "crawler.settings", "crawler.frontier", "crawler.politeness",
        "crawler.robots", "pipelines"),
    4: ("archive.cli", "archive.crawl", "archive.ingest", "archive.serve", "archive.distributed", "archive.options"),
}
#: Outside libraries a layer must not use.
FORBIDDEN = {1: ("scrapy", "twisted", "redis", "scrapy_redis", "sqlite_utils", "sqlite3"),
             2: ("scrapy", "twisted", "redis", "scrapy_redis")}
#: Project imports allowed inside a function: modules that load Scrapy, Twisted, Datasette or
#: wacz (~0.4 s each), imported by the one command or step that needs them (each has a comment).
OPTIONAL_INSIDE: set[tuple[str, str]] = {
    ("archive.cli", "archive.distributed"), ("archive.cli", "archive.export"), ("archive.cli", "archive.ingest"),
    ("archive.cli", "archive.serve"), ("archive.crawl", "crawler.spiders.columns"),
}

#: Imports that still break the layering (module -> imported module), to be removed (issue 12).
KNOWN: set[tuple[str, str]] = set()


def layer_of(module: str) -> int | None:
    best = None
    for layer, prefixes in LAYERS.items():
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (layer, len(prefix))
    return best[0] if best else None


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(module: str, path: Path) -> list[tuple[str, bool]]:
    """(imported module, inside a function) for every import statement of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside: set[int] = {id(sub) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                        for sub in ast.walk(node) if isinstance(sub, (ast.Import, ast.ImportFrom))}
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in inside) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES]
            if len(submodules) < len(node.names):  # names from the module itself, not only its submodules
                found.append((target, id(node) in inside))
            found += [(name, id(node) in inside) for name in submodules]
    return found


MODULES = modules()


def violations() -> set[tuple[str, str]]:
    found = set()
    for module, path in MODULES.items():
        layer = layer_of(module)
        for target, in_function in imports(module, path):
            root = target.split(".")[0]
            if module.startswith("replica") and root in PACKAGES and root != "replica":
                found.add((module, target))
            if layer is None:
                continue
            if root in FORBIDDEN.get(layer, ()):
                found.add((module, target))
            if root in PACKAGES and target in MODULES:
                other = layer_of(target)
                if other is not None and other > layer:
                    found.add((module, target))
                if in_function and (module, target) not in OPTIONAL_INSIDE:
                    found.add((module, f"{target} (inside a function)"))
    return found


def test_every_module_has_a_layer() -> None:
    assert [m for m in MODULES if not m.startswith("replica") and layer_of(m) is None] == []


def test_layers_import_only_downward() -> None:
    new = violations() - KNOWN
    assert not new, "imports that break the layers:\n" + "\n".join(f"{a} -> {b}" for a, b in sorted(new))


def test_the_list_of_known_breaks_only_shrinks() -> None:
    gone = KNOWN - violations()
    assert not gone, "fixed; remove from KNOWN:\n" + "\n".join(f"{a} -> {b}" for a, b in sorted(gone))


def test_no_import_cycles() -> None:
    graph = {m: {t for t, _ in imports(m, p) if t in MODULES and t != m} for m, p in MODULES.items()}
    cycles = _cycles(graph)
    assert cycles == [], f"import cycles: {cycles}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize(("module", "layer"), [("crawler.parse", 1), ("archive.records", 2),
                                               ("crawler.spiders.columns", 3), ("archive.cli", 4)])
def test_the_layer_map_places_the_anchor_modules(module: str, layer: int) -> None:
    assert layer_of(module) == layer
