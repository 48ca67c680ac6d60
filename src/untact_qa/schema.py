"""Plain values that flow through the pipeline: corpus → chunks → index → retrieval → answer."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

# a location label's last number with what precedes and follows it ("슬라이드 2 표 1 ", "3", "행")
_LAST_NUMBER = re.compile(r"^(.*?)(\d+)(\D*)$")


@dataclass(frozen=True)
class Document:
    """One corpus file after NFC normalisation (``text`` is the file as read)."""

    doc_id: str  # path relative to the corpus folder, with forward slashes
    text: str
    encoding: str = "utf-8"  # what the file was decoded from (utf-8, utf-16, cp949)
    repair: dict = field(default_factory=dict, hash=False, compare=False)  # RepairRules overrides
    # where a person finds each part in the original file: (first 1-based line of ``text``, label
    # such as "3쪽", "슬라이드 2", "'매출' 시트 5행", "문단 12"), ascending (untact_qa.formats)
    locations: tuple[tuple[int, str], ...] = field(default=(), hash=False, compare=False)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the repaired text, ``[start, end)`` in repaired-text offsets."""

    start: int
    end: int
    text: str
    line_start: int = 0  # 1-based lines of the original file holding this sentence
    line_end: int = 0


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: whole sentences of one section.

    ``start``/``end`` index the repaired document text (``repaired[start:end] == text``);
    ``orig_start``/``orig_end`` index the original file text and ``line_start``/``line_end``
    are 1-based line numbers in the original file, so a citation names exact lines.
    """

    chunk_id: str
    doc_id: str
    heading_path: tuple[str, ...]
    text: str
    start: int
    end: int
    orig_start: int
    orig_end: int
    line_start: int
    line_end: int
    sentences: tuple[Sentence, ...] = ()
    # the document's location marks in force over this chunk's lines: (line, label), the first
    # one at or before ``line_start`` (see Document.locations); empty for plain text files
    locations: tuple[tuple[int, str], ...] = ()

    def location_at(self, line_start: int, line_end: int = 0) -> str:
        """Where lines *line_start*–*line_end* of this chunk are in the original file ("3쪽",
        "3–4쪽", "슬라이드 2", "슬라이드 2 표 1 2–3행"); "" when the document has no location map."""
        return location_at(self.locations, line_start, line_end)

    @property
    def heading(self) -> str:
        """The heading path joined for display, e.g. ``"해외 비대면 산업 현황 > 중국"``."""
        return " > ".join(self.heading_path)

    def embedding_text(self) -> str:
        """What the dense model sees: the heading path gives a short chunk its topic (not
        repeated when the text opens with it, as a page's first chunk opens with its title)."""
        if not self.heading_path or self.text.startswith(self.heading_path[-1]):
            return self.text
        return f"{self.heading}\n{self.text}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (used by the index files)."""
        d = asdict(self)
        d["heading_path"] = list(self.heading_path)
        d["sentences"] = [[s.start, s.end, s.line_start, s.line_end] for s in self.sentences]
        if self.locations:
            d["locations"] = [list(x) for x in self.locations]
        else:
            d.pop("locations", None)  # plain text: the record stays as before
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Chunk:
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        d["heading_path"] = tuple(d["heading_path"])
        base = d["start"]
        text = d["text"]
        d["sentences"] = tuple(Sentence(s, e, text[s - base : e - base], l0, l1) for s, e, l0, l1 in d.get("sentences", []))
        d["locations"] = tuple((int(a), str(b)) for a, b in d.get("locations", ()))
        return cls(**d)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its rank (1-based) and the score of the mode that found it."""

    chunk: Chunk
    score: float
    rank: int
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """Evidence behind one ``[n]`` marker of an answer."""

    n: int
    chunk_id: str
    doc_id: str
    heading: str
    line_start: int  # original lines of the quoted evidence
    line_end: int
    passage: str
    evidence_start: int  # character span of the quoted evidence inside ``passage``
    evidence_end: int
    passage_lines: tuple[int, int] = (0, 0)  # original lines of the whole passage
    # where the evidence is in the original file ("3쪽", "슬라이드 2", "'매출' 시트 5행"):
    # Chunk.location_at(line_start, line_end) of the passage's chunk; "" for plain text
    location: str = ""

    @property
    def evidence(self) -> str:
        """The quoted sentence(s) inside the passage."""
        return self.passage[self.evidence_start : self.evidence_end]


@dataclass(frozen=True)
class Closest:
    """The nearest thing the documents do say, when they do not answer the question: the
    right kind of answer about a neighbouring fact (another year, country or measure)."""

    text: str  # the quoted sentence(s) with their ``[n]`` markers
    citations: tuple[Citation, ...]
    # what the question asked that the quoted text does not match: (kind, asked, found instead)
    mismatches: tuple[tuple[str, str, str], ...] = ()


# What an answer is: a cited answer, an honest near-miss (no answer, but the closest content),
# a plain abstention, or an extractive summary / comparison of several cited sentences.
ANSWER_KINDS = ("answer", "near_miss", "abstain", "summary", "comparison")


@dataclass(frozen=True)
class Answer:
    """What the user gets back: short text with ``[n]`` markers and their citations."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    reason: str = ""
    searched_query: str = ""
    hits: tuple[Hit, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    confidence: float = 0.0  # dense similarity of the best sentence (what abstention thresholds)
    missing_terms: tuple[str, ...] = ()  # named things in the question the corpus never mentions
    kind: str = "answer"  # one of ANSWER_KINDS
    closest: Closest | None = None  # for a near-miss: what the documents say instead
    expected_type: str = ""  # what the question asks for (count, date, person, …; see untact_qa.question)
    span: tuple[int, int] | None = None  # the answer phrase: [start, end) characters of ``text`` (shown bold)
    # how the message was read in its conversation (untact_qa.dialog.INTENTS): "new", "ellipsis",
    # "reference", "why", "more", "summary" or "comparison"
    intent: str = "new"
    # a comparison as a table: {"columns": [entity, …], "rows": [{"aspect": str, "cells": {entity:
    # {"text": str, "citation": n} | None}}]} (None: "문서에 없음"); a summary's bullets:
    # {"headline": str, "groups": [{"title": str, "items": [str, …]}]} (texts carry their [n])
    table: dict | None = None
    outline: dict | None = None

    def to_dict(self, with_hits: bool = False) -> dict[str, Any]:
        """JSON-friendly form; ``with_hits`` adds the retrieved passages."""
        d: dict[str, Any] = {
            "question": self.question,
            "searched_query": self.searched_query,
            "answer": self.text,
            "kind": self.kind,
            "abstained": self.abstained,
            "reason": self.reason,
            "citations": [citation_to_dict(c) for c in self.citations],
            "closest": None if self.closest is None else {
                "answer": self.closest.text,
                "citations": [citation_to_dict(c) for c in self.closest.citations],
                "mismatches": [{"kind": k, "asked": a, "found": f} for k, a, f in self.closest.mismatches],
            },
            "expected_type": self.expected_type,
            "intent": self.intent,
            "table": self.table,
            "outline": self.outline,
            "span": None if self.span is None else {"start": self.span[0], "end": self.span[1],
                                                    "text": self.text[self.span[0]:self.span[1]]},
            "confidence": round(self.confidence, 4),
            "missing_terms": list(self.missing_terms),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
        if with_hits:
            d["passages"] = [hit_to_dict(h) for h in self.hits]
        return d


def citation_to_dict(c: Citation) -> dict[str, Any]:
    """JSON form of a citation (answers, near-miss closest content, exports)."""
    return {
        "n": c.n,
        "chunk_id": c.chunk_id,
        "doc": c.doc_id,
        "heading": c.heading,
        "lines": [c.line_start, c.line_end],
        "location": c.location,
        "passage_lines": list(c.passage_lines),
        "text": c.passage,
        "evidence": c.evidence,
        "evidence_span": [c.evidence_start, c.evidence_end],
    }


def hit_to_dict(h: Hit) -> dict[str, Any]:
    """JSON form of a hit, shared by ``search`` output and eval predictions."""
    c = h.chunk
    return {
        "rank": h.rank,
        "score": round(float(h.score), 6),
        "chunk_id": c.chunk_id,
        "doc": c.doc_id,
        "heading": c.heading,
        "lines": [c.line_start, c.line_end],
        "location": c.location_at(c.line_start, c.line_end),
        "text": c.text,
    }


def location_at(locations, line_start: int, line_end: int = 0) -> str:
    """Where lines *line_start*–*line_end* of a document are in its original file, from its
    location map (``(first line, label)`` pairs, in order): "3쪽", "3–4쪽", "슬라이드 2 표 1
    2–3행"; "" when there is no map."""
    if not locations:
        return ""

    def at(line: int) -> str:
        label = locations[0][1]
        for first, name in locations:
            if first > line:
                break
            label = name
        return label

    a = at(line_start)
    b = at(line_end) if line_end and line_end > line_start else a
    if a == b:
        return a
    # two rows of one table, two pages: "표 1 2–3행", "3–4쪽", not the whole label twice
    ma, mb = _LAST_NUMBER.match(a), _LAST_NUMBER.match(b)
    if ma and mb and ma.group(1) == mb.group(1) and ma.group(3) == mb.group(3):
        return f"{ma.group(1)}{ma.group(2)}–{mb.group(2)}{ma.group(3)}"
    return f"{a}–{b}"
