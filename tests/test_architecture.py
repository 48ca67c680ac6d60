"""The layers of docs/architecture.md, enforced: every import inside the package goes to the
importer's own layer or a lower one, and the import graph has no cycle."""

import ast
import re

from conftest import ROOT

PKG = ROOT / "src" / "untact_qa"


def layers() -> dict[str, int]:
    """Module (or package) name → layer number, read from the table of docs/architecture.md."""
    out = {}
    for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| (\d) [^|]+\| ([^|]+)\|", line)
        if m:
            for name in re.findall(r"`([\w.]+)/?`", m.group(2)):
                out[name] = int(m.group(1))
    return out


def module_of(path) -> str:
    parts = list(path.relative_to(PKG).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"


def imports() -> dict[str, set[str]]:
    """Every module's imports of other package modules (TYPE_CHECKING ones included)."""
    graph: dict[str, set[str]] = {}
    for path in PKG.rglob("*.py"):
        mod = module_of(path)
        here = mod.split(".") if path.name == "__init__.py" and mod != "__init__" else mod.split(".")[:-1]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here[: len(here) - node.level + 1]
                names = [node.module] if node.module else [a.name for a in node.names]
                found |= {".".join(base + n.split(".")) for n in names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("untact_qa."):
                found.add(node.module[len("untact_qa."):])
        graph[mod] = {f for f in found if f != mod}
    return graph


def layer_of(mod: str, table: dict[str, int]) -> int:
    for name in (mod, mod.split(".")[0]):
        if name in table:
            return table[name]
    raise AssertionError(f"{mod} is in no layer of docs/architecture.md; add it to the table")


def test_every_module_is_in_a_layer_and_imports_only_downward():
    table = layers()
    upward = [f"{a} (layer {layer_of(a, table)}) imports {b} (layer {layer_of(b, table)})"
              for a, bs in imports().items() for b in bs if layer_of(b, table) > layer_of(a, table)]
    assert upward == []


def test_the_import_graph_has_no_cycle():
    graph = imports()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


# Declarative builders: an argparse tree and a Gradio page read top to bottom as a list.
BUILDERS = {("cli.py", "build_parser"), ("ui.py", "layout")}


def test_no_function_over_80_lines_outside_declarative_builders():
    long = []
    for path in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (path.name, node.name) not in BUILDERS:
                n = node.end_lineno - node.lineno + 1
                if n > 80:
                    long.append(f"{path.relative_to(PKG)}:{node.name} ({n} lines)")
    assert long == []
