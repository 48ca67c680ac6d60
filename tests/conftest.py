"""Shared fixtures: the real model and a real index of the real corpus (built once per
session), plus a tiny deterministic fake embedder for fast failure-path tests."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REPORT = CORPUS / "untact-economy-report.txt"
QUESTIONS = ROOT / "eval" / "questions.jsonl"
LAW = ROOT / "eval" / "suites" / "law" / "corpus"
CONSTITUTION = LAW / "constitution.txt"  # konlpy's kolaw corpus: the Constitution of Korea
BILLS = LAW / "bills"  # konlpy's kobill corpus: PDF-extracted assembly bills
CACHE = ROOT / ".cache"


from untact_qa.scoring import squash  # noqa: E402,F401 - tests match evidence the way the eval does


def load_questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


class FakeEmbedder:
    """Deterministic bag-of-characters vectors: no model, milliseconds per build."""

    dim = 64

    def __init__(self, model_id: str = "fake-embedder") -> None:
        self.model_id = model_id
        self.calls = 0

    def warm_up(self) -> None:
        pass

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, np.float32)
        for ch in text:
            v[int(hashlib.md5(ch.encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_passages(self, texts, show_progress=False):
        self.calls += len(texts)
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def encode_query(self, text):
        return self._vec(text)


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    from untact_qa import Settings

    index_dir = tmp_path_factory.mktemp("index")
    return replace(Settings(), corpus_dir=CORPUS, index_dir=index_dir, cache_dir=CACHE)


@pytest.fixture(scope="session")
def built_index(settings):
    """A real index of the real corpus with the real default model."""
    from untact_qa import build_index

    report = build_index(settings, progress=False)
    return report


@pytest.fixture(scope="session")
def engine(settings, built_index):
    from untact_qa import Engine

    return Engine.load(settings=settings)


@pytest.fixture(scope="session")
def law_engine(settings):
    """The law suite's index (the Constitution and PDF-extracted bills), the one the eval gate uses."""
    from untact_qa import Engine

    s = replace(settings, corpus_dir=LAW, index_dir=CACHE / "suites" / "law" / "index")
    return Engine.load_or_build(s, progress=False)


@pytest.fixture
def written_engine(settings, tmp_path):
    """``make({name: text, …})``: an engine over documents a test wrote (the real model and
    pipeline, an index of its own in *tmp_path*)."""
    from untact_qa import Engine

    def make(documents: dict[str, str]):
        corpus = tmp_path / "corpus"
        for name, text in documents.items():
            (corpus / name).parent.mkdir(parents=True, exist_ok=True)
            (corpus / name).write_text(text, encoding="utf-8")
        return Engine.load_or_build(replace(settings, corpus_dir=corpus, index_dir=tmp_path / "index"), progress=False)

    return make


@pytest.fixture
def small_corpus(tmp_path):
    """A copy of the report plus a short second document, in a temp folder."""
    d = tmp_path / "corpus"
    d.mkdir()
    shutil.copy(REPORT, d / REPORT.name)
    (d / "notes").mkdir()
    (d / "notes" / "memo.md").write_text("□ 메모\n - 비대면 회의는 매주 화요일에 열린다.\n", encoding="utf-8")
    return d


class LateFakeEmbedder(FakeEmbedder):
    """FakeEmbedder that can also pool spans out of a text's pass (like late chunking):
    a span's vector is the bag of characters of the span, so tests can check the spans."""

    def __init__(self, model_id: str = "fake-late") -> None:
        super().__init__(model_id)
        self.passes = 0

    def encode_late(self, texts, spans):
        self.passes += len(texts)
        vecs = np.stack([self._vec(t) for t in texts])
        return vecs, [np.stack([self._vec(t[a:b]) for a, b in sp]) if sp else np.zeros((0, self.dim), np.float32)
                      for t, sp in zip(texts, spans)]


# Debian's chromium, driven by playwright (its own browser download is blocked here)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the real-browser tests of a module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
