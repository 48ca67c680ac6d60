"""One configuration module: every environment variable is read in config.py and listed
with its default there and in the README."""

import ast
import re

from conftest import ROOT


def test_no_module_but_config_reads_the_environment():
    readers = []
    for path in sorted((ROOT / "src" / "untact_qa").rglob("*.py")):
        if path.name == "config.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and \
                    isinstance(node.value, ast.Name) and node.value.id == "os":
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == [], "read the environment through untact_qa.config: " + ", ".join(readers)


def test_every_variable_has_a_default_and_a_readme_row():
    from untact_qa.config import ENV_DEFAULTS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    used = set()
    for path in (ROOT / "src" / "untact_qa").rglob("*.py"):
        used |= set(re.findall(r"UNTACT_QA_[A-Z_]+", path.read_text(encoding="utf-8")))
    used = {u for u in used if not u.endswith("_")}
    assert used <= set(ENV_DEFAULTS), sorted(used - set(ENV_DEFAULTS))
    listed = set(re.findall(r"UNTACT_QA_[A-Z_]+", readme)) | {f"UNTACT_QA_UPLOAD{s}" for s in re.findall(
        r"UNTACT_QA_UPLOAD_CPU_SECONDS` / `(_MEMORY_MB)` / `(_MAX_CHARS)` / `(_WALL_SECONDS)", readme) for s in s}
    assert set(ENV_DEFAULTS) <= listed, sorted(set(ENV_DEFAULTS) - listed)


def test_settings_carry_serving_and_upload_limits(monkeypatch):
    from untact_qa.config import Settings

    monkeypatch.setenv("UNTACT_QA_PORT", "8123")
    monkeypatch.setenv("UNTACT_QA_UPLOAD_CPU_SECONDS", "not a number")
    s = Settings.from_env()
    assert s.serve.port == 8123 and s.upload.cpu_seconds == 30  # a typo keeps the default limit
