"""The public Python API: load once, answer many.

>>> from untact_qa import Engine
>>> engine = Engine.load("index")
>>> engine.search("재택근무 실시율은?").hits[0].chunk.line_start
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import replace
from pathlib import Path

from .config import Settings
from .corpus import load_corpus
from .embedding import Embedder, log, make_embedder
from .errors import IndexError_
from .index import BuildReport, Index
from .retrieval import RetrievalResult, Retriever, clean_query


def build_index(settings: Settings, progress: bool = True, embedder=None, previous: Index | None = None) -> BuildReport:
    """Build (or refresh) the index for ``settings.corpus_dir`` into ``settings.index_dir``.

    Vectors of unchanged chunks are reused from *previous* (default: the index on disk)
    when it was built with the same model; the new version replaces the old one atomically.
    """
    embedder = embedder or make_embedder(settings.model, settings.cache_dir)
    corpus = load_corpus(settings.corpus_dir)
    if previous is None:
        try:
            previous = Index.load(settings.index_dir, expected_model=embedder.model_id)
        except IndexError_:
            pass  # nothing reusable: embed everything
    index, report = Index.build(corpus, embedder, settings.chunking, previous=previous, progress=progress)
    report.path = str(index.save(settings.index_dir))
    return report


class Engine:
    """A loaded index + model + retriever, shared by the CLI, the UI and the eval."""

    def __init__(self, settings: Settings, index: Index, embedder: Embedder, calibration=None) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.retriever = Retriever(index, embedder, settings.retrieval, calibration)
        self._lock = threading.RLock()
        self._answerer = None
        self._squashed = None
        self._aliases: dict[str, list[str]] | None = None

    @property
    def answerer(self):
        """The answer backend (extractive by default), created on first use."""
        if self._answerer is None:
            from .answer import ExtractiveAnswerer

            self._answerer = ExtractiveAnswerer(self)
        return self._answerer

    @classmethod
    def load(cls, index_dir: str | Path | None = None, settings: Settings | None = None,
             warm: bool = True, check_stale: bool = True) -> Engine:
        """Load the index (refusing one built with another model) and the model once."""
        settings = settings or Settings.from_env()
        if index_dir is not None:
            settings = replace(settings, index_dir=Path(index_dir))
        embedder = make_embedder(settings.model, settings.cache_dir)
        index = Index.load(settings.index_dir, expected_model=embedder.model_id)
        engine = cls(settings, index, embedder)
        if check_stale:
            msg = engine.stale_message()
            if msg:
                warnings.warn(msg, stacklevel=2)
        if warm:
            engine.retriever.warm_up()
        return engine

    @classmethod
    def load_or_build(cls, settings: Settings | None = None, progress: bool = True, embedder=None,
                      calibration=None) -> Engine:
        """Load the index, building it first when it is missing, stale or from another model."""
        settings = settings or Settings.from_env()
        embedder = embedder or make_embedder(settings.model, settings.cache_dir)
        reason = ""
        if not (Path(settings.index_dir) / "CURRENT").is_file():
            reason = f"first run: no index in {settings.index_dir}/ yet"
        else:
            try:
                index = Index.load(settings.index_dir, expected_model=embedder.model_id)
                if index.is_stale(load_corpus(settings.corpus_dir)):
                    reason = f"the documents in {settings.corpus_dir}/ changed"
            except IndexError_ as exc:
                reason = str(exc).split("; run")[0]
        if reason:
            log(f"Building the index ({reason})…")
            report = build_index(settings, progress=progress, embedder=embedder)
            log(f"Indexed {report.documents} documents, {report.chunks} chunks in {report.seconds:.1f} s")
            index = Index.load(settings.index_dir, expected_model=embedder.model_id)
        engine = cls(settings, index, embedder, calibration)
        engine.retriever.warm_up()
        return engine

    def corpus_contains(self, phrase: str) -> bool:
        """Does any indexed chunk mention *phrase*, or one of its aliases from the corpus's
        ``untact-qa.json``? Compared on :func:`~untact_qa.answer.surface_key` forms, so
        spacing, thousands separators and two-digit years do not matter."""
        from .answer import surface_key

        if self._squashed is None or self._squashed[0] is not self.index:
            self._squashed = (self.index, "\x00".join(surface_key(c.embedding_text()) for c in self.index.chunks))
        names = [phrase, *self.aliases.get(phrase, ())]
        return any(self._mentions(surface_key(n)) for n in names if surface_key(n))

    def _mentions(self, key: str) -> bool:
        import re

        text = self._squashed[1]
        if re.fullmatch(r"[가-힣]{1,2}", key):
            # a two-syllable name hides inside longer words ("대모" in "대모험"): require it as a morpheme
            return self.index.has_term(key)
        if key in text:
            return True
        if re.fullmatch(r"[가-힣]{3,}", key):
            # one vowel off is a transliteration variant of the same name (헤리슨/해리슨,
            # 도날드/도널드): same consonants, another vowel in one syllable
            return any(re.search(re.escape(key[:i]) + _vowel_variants(key[i]) + re.escape(key[i + 1:]), text)
                       for i in range(len(key)))
        return False

    @property
    def aliases(self) -> dict[str, list[str]]:
        """Other names the documents use for a thing (``aliases`` in the corpus's untact-qa.json)."""
        if self._aliases is None:
            from .corpus import load_settings

            try:
                self._aliases = load_settings(self.settings.corpus_dir).aliases
            except Exception:  # noqa: BLE001 - a broken settings file is reported by the build
                self._aliases = {}
        return self._aliases

    def stale_message(self) -> str:
        """A warning when the corpus folder no longer matches the index, else ``""``."""
        try:
            corpus = load_corpus(self.settings.corpus_dir)
        except Exception:  # noqa: BLE001 - a missing corpus folder is not a search error
            return ""
        if self.index.is_stale(corpus):
            return (f"the corpus in {self.settings.corpus_dir}/ changed since the index was built; "
                    f"run `untact-qa build` to include the changes")
        return ""

    def reload(self) -> None:
        """Swap in the index currently on disk (after a rebuild) without reloading the model."""
        index = Index.load(self.settings.index_dir, expected_model=self.embedder.model_id)
        with self._lock:
            self.index = index
            self.retriever = Retriever(index, self.embedder, self.settings.retrieval, self.retriever.calibration)
            self._answerer = None
            self._aliases = None

    def search(self, question: str, mode: str | None = None, top_k: int | None = None) -> RetrievalResult:
        """Validate *question* and return ranked passages."""
        q = clean_query(question, self.settings)
        return self.retriever.retrieve(q.text, mode=mode, top_k=top_k)

    def ask(self, question: str, mode: str | None = None, top_k: int | None = None, history=None):
        """Answer *question* with cited sentences, or abstain (see :mod:`untact_qa.answer`)."""
        return self.answerer.answer(question, mode=mode, top_k=top_k, history=history)


def _vowel_variants(syllable: str) -> str:
    """Regex class of the Hangul syllables with the same initial and final consonant."""
    code = ord(syllable) - 0xAC00
    initial, final = code // 588, code % 28
    return "[" + "".join(chr(0xAC00 + initial * 588 + medial * 28 + final) for medial in range(21)) + "]"
