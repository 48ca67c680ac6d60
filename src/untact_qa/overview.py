"""A guide to each document (like a notebook's source guide): 3–5 cited summary bullets and 3–5
suggested questions the system has checked it answers from that document.

Suggested questions are made from the document itself, never invented: a statement that
names its subject and then a figure ("2020년 2월 대만의 음식배달 앱 사용률은 35.6%로 …") gives
the question up to its subject ("2020년 2월 대만의 음식배달 앱 사용률은?"), and a section
heading gives a topic question ("베트남의 재택근무 현황은?"). Each is asked for real, limited
to the document, and kept only when the answer is not an abstention and quotes the very
sentence or section it was made from — so every suggestion shown is one that answers.

Overviews are kept next to the index (``overviews.json``), one per document, keyed by the
document's content hash in the index manifest: computed for a new or changed document (an
upload computes its own), reused otherwise, dropped with the document.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from pathlib import Path


BULLETS = 4
QUESTIONS = 4
FORMAT = 1
# "…의 사용률은 35.6%로": a subject phrase ending in a topic/subject particle, then a figure
_FIGURE_CLAIM = re.compile(r"^(?P<subject>[^,\"“”()]{6,48}?(?:은|는))\s+(?:약\s*|총\s*|무려\s*)?"
                           r"(?P<figure>\d[\d,.]*\s*(?:%|배|명|개|건|원|달러|억|만|조|년|월|곳|대|시간|분))")
_GENERIC_HEADS = re.compile(r"^(향후 전망|전망|개요|서론|결론|시사점|요약|머리말|맺음말|참고|부록|목차)$")


def overview_path(engine) -> Path:
    """Where the overviews of *engine*'s index are kept: beside a local index, else in the cache."""
    index = Path(engine.settings.index_dir)
    if index.is_dir():
        return index / "overviews.json"
    return Path(engine.settings.cache_dir) / "overviews" / f"{abs(hash(str(index)))}.json"


class Overviews:
    """The overviews of an engine's documents (see the module); thread-safe."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self._lock = threading.RLock()
        self._cache: dict | None = None

    def _load(self) -> dict:
        if self._cache is None:
            try:
                got = json.loads(overview_path(self.engine).read_text(encoding="utf-8"))
                self._cache = got if isinstance(got, dict) and got.get("format") == FORMAT else {}
            except (OSError, ValueError):
                self._cache = {}
            self._cache.setdefault("format", FORMAT)
            self._cache.setdefault("docs", {})
        return self._cache

    def _save(self) -> None:
        path = overview_path(self.engine)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".overviews-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(self._cache, f, ensure_ascii=False)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a read-only or full disk: the overviews are recomputed next time, nothing is lost

    def _hash_of(self, doc_id: str) -> str:
        files = self.engine.index.manifest.get("corpus", {}).get("files", {})
        return str(files.get(doc_id, ""))

    def get(self, doc_id: str, compute: bool = True) -> dict | None:
        """The overview of *doc_id* (computed now when missing or stale and *compute*)."""
        with self._lock:
            docs = self._load()["docs"]
            have = docs.get(doc_id)
            want = self._hash_of(doc_id)
            if have is not None and have.get("hash") == want:
                return have
            if not compute or doc_id not in self.engine.index.doc_counts():
                return None
        got = make_overview(self.engine, doc_id)
        with self._lock:
            got["hash"] = want
            self._load()["docs"][doc_id] = got
            self._save()
        return got

    def refresh(self, doc_ids=None) -> int:
        """Compute the overviews that are missing or stale (of *doc_ids*, default every
        document) and drop those of documents no longer indexed; returns how many were made."""
        live = list(self.engine.index.doc_counts())
        made = 0
        for d in doc_ids if doc_ids is not None else live:
            with self._lock:
                have = self._load()["docs"].get(d)
            if have is None or have.get("hash") != self._hash_of(d):
                self.get(d)
                made += 1
        self.forget([d for d in list(self._load()["docs"]) if d not in set(live)])
        return made

    def refresh_later(self, doc_ids=None) -> None:
        """:meth:`refresh` in a background thread (a server start, an upload): the page shows
        an overview once it is ready; an answer never waits for one."""
        def run():
            try:
                self.refresh(doc_ids)
            except Exception:  # noqa: BLE001 - an overview is a convenience; the index is unaffected
                pass

        threading.Thread(target=run, daemon=True, name="untact-qa-overviews").start()

    def forget(self, doc_ids) -> None:
        """Drop the overviews of *doc_ids* (deleted documents)."""
        with self._lock:
            docs = self._load()["docs"]
            gone = [d for d in doc_ids if docs.pop(d, None) is not None]
            if gone:
                self._save()


def make_overview(engine, doc_id: str) -> dict:
    """``{"doc", "bullets": [{"text", "lines", "heading"}], "questions": [str]}`` for *doc_id*."""
    from .summary import Summarizer, is_statement
    from .question import frame_question

    store = engine.index
    frame = frame_question("이 문서를 요약해줘")
    qvec = engine.embedder.encode_query("이 문서의 핵심 내용 요약")
    summarizer = Summarizer(store)
    scoped = summarizer.scope_chunks(frame, [], [], [doc_id])
    picked = summarizer.choose(scoped, qvec, k=BULLETS, query_weight=0.15, figures=0.0) if scoped else []
    bullets = [{"text": c.sentence.text.strip(), "heading": c.chunk.heading,
                "lines": [c.sentence.line_start, c.sentence.line_end]} for c in picked]
    questions = []
    for q, source in _candidate_questions(scoped, is_statement):
        if len(questions) >= QUESTIONS:
            break
        if q in (x for x in questions):
            continue
        try:
            a = engine.ask(q, docs=[doc_id], literal=True)
        except Exception:  # noqa: BLE001 - a question that cannot be asked is not suggested
            continue
        if a.abstained or not a.citations or a.kind not in ("answer",):
            continue
        if not _answers_from(a, source):
            continue
        questions.append(q)
    return {"doc": doc_id, "bullets": bullets, "questions": questions}


def _answers_from(answer, source) -> bool:
    """Does *answer* quote the sentence (or the section) its question was made from?"""
    kind, value = source
    if kind == "sentence":
        key = re.sub(r"\s+", "", value)
        return any(key[:30] in re.sub(r"\s+", "", c.evidence) or re.sub(r"\s+", "", c.evidence)[:30] in key
                   for c in answer.citations)
    return any(c.heading == value for c in answer.citations)


def _candidate_questions(scoped, is_statement):
    """Questions a document answers, best first: figure claims, then section topics."""
    seen_sections = set()
    figure_qs, topic_qs = [], []
    for chunk, _ in scoped:
        for s in chunk.sentences:
            text = s.text.strip()
            lead = re.sub(r"^(\([^)]{1,12}\)|특히|또한|한편|실제로|다만|그러나|이에 따라)\s*,?\s*", "", text)
            m = _FIGURE_CLAIM.match(lead)
            if m and is_statement(text):
                subject = m.group("subject").strip()
                # a subject that points back ("이 중에서 …", "이는 …") means nothing on its own
                if not re.match(r"(이|그|저|해당)\s?(중|가운데|는|것|들|에)", subject) and \
                        not re.search(r"(은|는)\s", subject):
                    figure_qs.append((subject.rstrip() + "?", ("sentence", text)))
        path = chunk.heading_path
        if path and chunk.heading not in seen_sections:
            seen_sections.add(chunk.heading)
            leaf = path[-1].strip()
            if len(leaf) >= 3 and not _GENERIC_HEADS.match(leaf) and len(leaf) <= 30:
                parent = path[-2].strip() if len(path) >= 2 else ""
                about = f"{parent}의 {leaf}" if parent and len(parent) <= 8 and parent not in leaf else leaf
                topic_qs.append((f"{about}에 대해 알려줘", ("section", chunk.heading)))
    # alternate, so a document with many figures still suggests a topic or two
    out = []
    for pair in zip(figure_qs, topic_qs):
        out += list(pair)
    longer = figure_qs if len(figure_qs) > len(topic_qs) else topic_qs
    out += longer[min(len(figure_qs), len(topic_qs)):]
    return out[:12]
