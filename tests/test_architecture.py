"""The house rules a newcomer relies on: stages import one way, and the Doc is the only channel."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "newsclaims"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(path: Path) -> set[str]:
    """newsclaims modules imported at run time anywhere in a file (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for block in ast.walk(tree) if _type_checking_only(block) for n in ast.walk(block)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return {m for m in found if m in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_has_no_cycle() -> None:
    graph = {name: _imports(path) - {name} for name, path in MODULES.items()}
    assert _cycles(graph) == []


def test_assembly_needs_neither_rules_nor_pipeline() -> None:
    for name in MODULES:
        if name == "newsclaims.assemble" or name.startswith("newsclaims.assemble."):
            imported = _imports(MODULES[name])
            forbidden = ("newsclaims.rules", "newsclaims.pipeline", "newsclaims.components")
            assert not any(m.startswith(forbidden) for m in imported), name


def test_nothing_travels_in_user_data() -> None:
    offenders = [str(p) for p in PACKAGE.rglob("*.py") if "user_data" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_readme_confidence_table_is_the_code_table() -> None:
    from newsclaims.components.confidence import markdown_table

    readme = (SRC.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- confidence-table:start -->\n") + len("<!-- confidence-table:start -->\n")
    end = readme.index("\n<!-- confidence-table:end -->")
    assert readme[start:end] == markdown_table(), "regenerate the README table from components/confidence.py"


CLI_MODULES = ("cli.py", "cli_corpus.py")


def _command_bodies(name: str) -> dict[str, int]:
    """Lines of each function body in a CLI module, signature and docstring excluded."""
    tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
    sizes = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if ast.get_docstring(node) else node.body
            if body:
                sizes[node.name] = body[-1].end_lineno - body[0].lineno + 1  # type: ignore[operator]
    return sizes


def test_the_cli_stays_thin() -> None:
    for name in CLI_MODULES:
        source = (PACKAGE / name).read_text(encoding="utf-8")
        assert len(source.splitlines()) <= 400, name
        assert {fn: n for fn, n in _command_bodies(name).items() if n > 25} == {}, name
        # The one error boundary is cli_support.user_errors; commands never catch errors themselves.
        assert "except NewsclaimsError" not in source, name
    support = (PACKAGE / "cli_support.py").read_text(encoding="utf-8")
    assert support.count("except NewsclaimsError as e:\n        raise fail(") == 1
