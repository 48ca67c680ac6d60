"""Extractive summaries and comparisons for broad requests ("요약해줘", "핵심 내용은?",
"A와 B를 비교해줘"): several cited sentences instead of one answer.

A summary is scoped by what the request names: a country, place or name (its sections and
passages), a topic ("원격의료"), or nothing (the whole document the conversation is
about). Its sentences are chosen by maximal marginal relevance: each must be central to
the scope (close to the scope's centroid and to the request), informative (a figure, a
finding, not a caption), and unlike what is already chosen — with a preference for a
section not yet covered, so a report's summary walks its sections. A comparison does the
same for each side and lines the two up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np

from .question import QuestionFrame, places_in
from .schema import Chunk, Citation
from .surface import surface_key

MIN_SENTENCES = 3
MAX_SENTENCES = 6
SIDE_SENTENCES = 3  # statements per side of a comparison
# Scoring weights, set on the report's tune summaries: a section's lead sentence and a
# sentence with a figure are what a reader of a report summary looks for; MMR keeps the
# chosen sentences apart, and a near-duplicate of one already chosen is never added.
LEAD_BONUS = 0.04
FIGURE_BONUS = 0.04
DIVERSITY = 0.5
REDUNDANT = 0.93
_FIGURE = re.compile(r"(?<![가-힣A-Za-z\d])\d[\d,.]*\s*(%|배|명|개|건|원|달러|억|만|조|년|월)")
MIN_CHARS, MAX_CHARS = 25, 260  # shorter is a caption or a fragment, longer a run-on
# words of a request that say "summarise", not what to summarise
_REQUEST_WORDS = re.compile(r"^(요약|정리|간추|간략|핵심|주요|요지|골자|개요|줄거리|내용|전반|한눈|비교|차이|설명|알려|말해|보고서|문서|"
                            r"자료|글|이|그|저|해|해줘|해주세요|해봐|하면|하라|하시오|주세요|줘|대해|대한|관련|관련된|무엇|뭐|어떤|"
                            r"어떻게|인가|인지|및|등)")
_JOSA = re.compile(r"(에\s*대해|에서|으로|로|은|는|을|를|의|과|와|에|이|가|도|만)$")


@dataclass
class _Candidate:
    chunk: Chunk
    index: int  # sentence index in the chunk
    vector: np.ndarray
    section: str
    position: int = 0  # the sentence's place in its section (0: the section's first)

    @property
    def sentence(self):
        return self.chunk.sentences[self.index]

    @property
    def key(self) -> tuple:
        s = self.sentence
        return (self.chunk.doc_id, s.start, s.end)


class Summarizer:
    """Builds summaries over a :class:`~untact_qa.stores.base.Store` (see the module docstring)."""

    def __init__(self, store) -> None:
        self.store = store
        self._doc_ids: dict[str, list[str]] | None = None

    # -- scope ---------------------------------------------------------------------------
    def _chunk_ids(self) -> dict[str, list[str]]:
        if self._doc_ids is None:
            self._doc_ids = {d: [f"{d}#{i:04d}" for i in range(n)] for d, n in self.store.doc_counts().items()}
        return self._doc_ids

    def scope_chunks(self, frame: QuestionFrame, hits, names: list[str], history_docs: list[str]):
        """The chunks a request is about: every chunk of the sections whose heading or text
        names what the request names; else the sections of the top passages for its topic;
        else the whole document (the conversation's, or the top passage's)."""
        docs = list(dict.fromkeys([h.chunk.doc_id for h in hits] + history_docs))
        ids = self._chunk_ids()
        if not names and not _topic_words(frame):
            doc = history_docs[0] if history_docs else (docs[0] if docs else next(iter(ids), None))
            return self._fetch(ids.get(doc, [])) if doc else []
        wanted_docs = docs[:3] or list(ids)[:3]
        chunks = self._fetch([i for d in wanted_docs for i in ids.get(d, [])])
        if names:
            keys = [surface_key(n) for n in names]
            by_heading = [(c, v) for c, v in chunks if any(k in surface_key(c.heading) for k in keys)]
            if by_heading:
                return by_heading
            return [(c, v) for c, v in chunks if any(k in surface_key(c.embedding_text()) for k in keys)]
        # a topic: the sections of the best passages
        sections = {(h.chunk.doc_id, h.chunk.heading) for h in hits[:3]}
        return [(c, v) for c, v in chunks if (c.doc_id, c.heading) in sections]

    def _fetch(self, ids: list[str]):
        if not ids:
            return []
        out = []
        for i in range(0, len(ids), 256):
            batch = self.store.fetch(ids[i:i + 256])
            out.extend(zip(batch.chunks, batch.sentence_vectors))
        return out

    def _specific(self, words: list[str], share: float = 0.25) -> list[str]:
        """Topic words that narrow the scope: a word in more than *share* of the
        passages ("비대면", "산업" in a report on the untact economy) is what every passage is
        about, not a topic within it. A comparison keeps more (*share*): its topic is what
        the two sides are compared on."""
        from .tokenization import morphemes

        stats = self.store.stats
        n = max(1, stats.n_chunks)
        out = []
        for w in words:
            forms = [f for f in morphemes(w) if len(f) >= 2] or [w]
            if min(stats.chunk_df.get(f, 0) for f in forms) / n <= share:
                out.append(w)
        return out

    # -- choosing --------------------------------------------------------------------------
    def choose(self, scoped, qvec: np.ndarray, k: int | None = None, query_weight: float = 0.4,
               topic: list[str] = (), strict_topic: bool = False) -> list[_Candidate]:
        """Sentences that cover the scope (see the module docstring).

        Each sentence is scored by how central it is to the scope (cosine to its centroid),
        how close to the request (*query_weight*), and its place in its section: writers put
        a section's point first (measured on the report's summary questions: 29 of 76 key
        sentences open their section, 13 are second). Sections take turns, the most central
        first, and a sentence too similar to one already chosen is passed over (MMR).

        A sentence naming a *topic* word ("원격의료") gains; with *strict_topic* (a side of a
        comparison) only such sentences count, from the sections matching the request best."""
        cands: list[_Candidate] = []
        seen = set()
        position: dict[tuple, int] = {}
        for chunk, vecs in scoped:
            for i, s in enumerate(chunk.sentences):
                key = (chunk.doc_id, s.start, s.end)
                if key in seen or i >= len(vecs):
                    continue
                seen.add(key)
                sec = (chunk.doc_id, chunk.heading)
                pos = position.get(sec, 0)
                position[sec] = pos + 1
                if MIN_CHARS <= len(s.text) <= MAX_CHARS:
                    cands.append(_Candidate(chunk, i, vecs[i], chunk.heading, pos))
        if topic and strict_topic:
            on = [c for c in cands if _mentions_topic(c.sentence.text, topic)]
            if len(on) >= MIN_SENTENCES:
                cands = on
        if not cands:
            return []
        V = np.stack([c.vector for c in cands]).astype(np.float32)
        if topic and strict_topic:
            cands, V = _best_sections(cands, V, qvec)
        centroid = V.mean(0)
        centroid /= np.linalg.norm(centroid) or 1.0
        rel = (1 - query_weight) * (V @ centroid) + query_weight * (V @ qvec)
        rel += np.array([LEAD_BONUS / (1 + c.position) + (FIGURE_BONUS if _FIGURE.search(c.sentence.text) else 0.0)
                         for c in cands])
        if topic:
            rel += np.array([TOPIC_BONUS if _mentions_topic(c.sentence.text, topic) else 0.0 for c in cands])
        k = k or MAX_SENTENCES
        chosen = _round_robin(cands, V, rel, k)
        picked = [cands[j] for j in chosen]
        return sorted(picked, key=lambda c: (c.chunk.doc_id, c.sentence.start))

    def summarize(self, frame: QuestionFrame, hits, qvec: np.ndarray, history_docs: list[str] = ()):
        """``(text, citations, scope label)`` of the summary, or None when nothing is in scope."""
        names = [c.surface for c in frame.constraints if c.kind in ("country", "place", "name")]
        scoped = self.scope_chunks(frame, hits, names, list(history_docs))
        topic = self._specific([w for w in _topic_words(frame) if w not in names])
        weight = 0.4
        if topic and names:
            weight = 0.7
        picked = self.choose(scoped, qvec, query_weight=weight, topic=topic if names else ())
        if not picked:
            return None
        label = " ".join(dict.fromkeys(names + topic)) or _doc_label(picked[0].chunk.doc_id)
        text, cites = compose(picked)
        return f"{label} 요약: {text}", cites, label

    def compare(self, frame: QuestionFrame, sides: list[str], hits_for, qvec_for):
        """``(text, citations)``: the matching statements of each side, or None.

        *hits_for(side)* retrieves passages for the request about one side; *qvec_for(side)*
        embeds it."""
        parts, picked_all = [], []
        for side in sides:
            hits = hits_for(side)
            topic = self._specific([w for w in _topic_words(frame) if w not in sides], share=0.6)
            scoped = _on_topic(self.scope_chunks(frame, hits, [side], []), topic)
            picked = self.choose(scoped, qvec_for(side), k=SIDE_SENTENCES, query_weight=0.8, topic=topic,
                                 strict_topic=True)
            if not picked:
                continue
            parts.append((side, picked))
            picked_all += picked
        if len(parts) < 2:
            return None
        lines, cites, n = [], [], 0
        for side, picked in parts:
            text, cs = compose(picked, start=n + 1)
            n += len(cs)
            cites += cs
            lines.append(f"{side}: {text}")
        return " / ".join(lines), cites


def _topic_words(frame: QuestionFrame) -> list[str]:
    """What a broad request is about besides its names ("원격의료" in "중국의 원격의료 관련
    내용을 요약해줘"); generic head nouns (현황, 전망) say nothing."""
    from .question import lexicon

    topic = next((c for c in frame.constraints if c.kind == "topic"), None)
    if topic:
        words = list(topic.names)
    else:
        words = []
        for w in re.sub(r"[?？.!,]", " ", frame.text).split():
            stem = _JOSA.sub("", w)
            if stem and not _REQUEST_WORDS.match(stem):
                words.append(stem)
    heads = lexicon().topic_heads
    named = {surface_key(c.surface) for c in frame.constraints if c.kind in ("country", "place", "name")}
    return [w for w in words if len(w) >= 2 and w not in heads and surface_key(w) not in named
            and not places_in("country", w)]


TOPIC_BONUS = 0.06


def _round_robin(cands: list[_Candidate], V: np.ndarray, rel: np.ndarray, k: int) -> list[int]:
    """Up to *k* candidates, the parts of the scope taking turns in document order.

    The parts are the headings one level below what all candidates share (a whole report:
    its chapters; one country: its subsections); within a part, a subsection not yet quoted
    is preferred, and MMR keeps near-duplicates out."""
    paths = [tuple(c.chunk.heading_path) for c in cands]
    common = 0
    while all(len(p) > common for p in paths) and len({p[common] for p in paths}) == 1:
        common += 1
    parts: dict[tuple, list[int]] = {}
    for j, p in enumerate(paths):
        parts.setdefault(p[:common + 1], []).append(j)
    order = list(parts)  # candidates come in document order, so parts do too
    chosen: list[int] = []
    used: dict[tuple, int] = {}
    while len(chosen) < min(k, len(cands)):
        before = len(chosen)
        for part in order:
            if len(chosen) >= k:
                break
            best, best_score = None, -1e9
            for j in parts[part]:
                if j in chosen:
                    continue
                sim = max((float(V[j] @ V[c]) for c in chosen), default=0.0)
                if sim > REDUNDANT:
                    continue
                score = rel[j] - DIVERSITY * sim - SECTION_REPEAT * used.get(paths[j], 0)
                if score > best_score:
                    best, best_score = j, score
            if best is not None:
                chosen.append(best)
                used[paths[best]] = used.get(paths[best], 0) + 1
        if len(chosen) == before:
            break
    return chosen


SECTION_REPEAT = 0.05
SECTION_MARGIN = 0.03  # a section within this cosine of the best one is on the topic too
MAX_TOPIC_SECTIONS = 3


def _best_sections(cands: list[_Candidate], V: np.ndarray, qvec: np.ndarray):
    """Only the sections whose best sentence is about as close to the request as the best
    section's (a topic has its sections: 대만 > 원격근무, 베트남 > 재택근무 현황)."""
    sims = V @ qvec
    best: dict[str, float] = {}
    for c, sim in zip(cands, sims):
        best[c.section] = max(best.get(c.section, -1.0), float(sim))
    top = max(best.values())
    keep = set(sorted((sec for sec, v in best.items() if v >= top - SECTION_MARGIN), key=lambda sec: -best[sec])
               [:MAX_TOPIC_SECTIONS])
    rows = [j for j, c in enumerate(cands) if c.section in keep]
    if sum(1 for _ in rows) < MIN_SENTENCES:
        return cands, V
    return [cands[j] for j in rows], V[rows]


def _mentions_topic(text: str, topic: list[str]) -> bool:
    """Does the sentence name one of the topic's words, or one of their nouns?"""
    from .question import _word_forms

    key = surface_key(text)
    return any(surface_key(w) in key or any(len(f) >= 2 and surface_key(f) in key for f in _word_forms(w))
               for w in topic)


def _on_topic(scoped, topic: list[str]):
    """The scoped passages that mention the topic ("중국의 원격의료": the 원격진료 passages
    of the China sections), when they hold enough sentences for a summary."""
    if not topic:
        return scoped
    keys = [surface_key(w) for w in topic]
    on = [(c, v) for c, v in scoped if any(_has_word(surface_key(c.embedding_text()), k) for k in keys)]
    return on if sum(len(c.sentences) for c, _ in on) >= MIN_SENTENCES else scoped


def _has_word(hay: str, key: str) -> bool:
    from .question import _word_in

    return _word_in(hay, key)


def _doc_label(doc_id: str) -> str:
    return PurePath(doc_id).stem.replace("_", " ")


def compose(picked: list[_Candidate], start: int = 1) -> tuple[str, list[Citation]]:
    """The sentences in order, each with its own ``[n]`` citation."""
    parts, cites = [], []
    for n, c in enumerate(picked, start):
        ch, s = c.chunk, c.sentence
        cites.append(Citation(n=n, chunk_id=ch.chunk_id, doc_id=ch.doc_id, heading=ch.heading,
                              line_start=s.line_start, line_end=s.line_end, passage=ch.text,
                              evidence_start=s.start - ch.start, evidence_end=s.end - ch.start,
                              passage_lines=(ch.line_start, ch.line_end)))
        parts.append(f"{s.text} [{n}]")
    return " ".join(parts), cites


def comparison_sides(frame: QuestionFrame) -> list[str]:
    """The two things a comparison request names ("대만과 베트남", "A와 B")."""
    named = [c.surface for c in frame.constraints if c.kind in ("country", "place", "name")]
    if len(named) >= 2:
        return named[:2]
    m = re.search(r"([\w·]+?)(?:와|과|하고|랑|이랑)\s+([\w·]+?)(?:의|을|를|은|는|에|\s)", frame.text)
    return [m.group(1), m.group(2)] if m else []


def broad_answer(frame: QuestionFrame, hits, qvec: np.ndarray, store, retrieve, encode_query,
                 previous=None) -> tuple[str, list[Citation], str] | None:
    """``(text, citations, kind)`` for a broad request — a comparison of the two sides it
    names, or a summary scoped by what it names — or None when nothing in the documents is in
    its scope. *hits*/*qvec* are the request's own retrieval; *retrieve(text)* and
    *encode_query(text)* serve the sides of a comparison; *previous()*, when the request
    names nothing ("요약해줘" after a question), gives that question's (frame, hits, qvec)."""
    from dataclasses import replace as _replace

    from .question import ExpectedType

    summarizer = Summarizer(store)
    if frame.expected.kind == "compare":
        sides = comparison_sides(frame)
        if len(sides) == 2:
            rest = frame.topic
            for side in sides:
                rest = rest.replace(side, " ")
            rest = re.sub(r"(와|과|하고|랑|이랑|의|을|를)(?=\s|$)", " ", rest).strip()

            def ask_for(side):
                return f"{side} {rest}".strip()

            got = summarizer.compare(frame, sides, lambda side: retrieve(ask_for(side)),
                                     lambda side: encode_query(ask_for(side)))
            if got is not None:
                return got[0], got[1], "comparison"
    scoped = frame
    names = [c for c in frame.constraints if c.kind in ("country", "place", "name", "topic")]
    if not names and previous is not None:
        prev = previous()
        if prev is not None:
            prev_frame, hits, qvec = prev
            scoped = _replace(prev_frame, expected=ExpectedType("summary"))
    got = summarizer.summarize(scoped, hits, qvec)
    return None if got is None else (got[0], got[1], "summary")
