"""Extractive summaries and comparisons for broad requests ("요약해줘", "핵심 내용은?",
"A와 B를 비교해줘"): several cited sentences instead of one answer.

**Summaries.** The scope is what the request names: a part of the document whose heading
it names ("국내 비대면 산업 현황", "제3장 국회"), a country, place or name (its sections),
a topic ("원격의료", "줌(Zoom) 보안": the passages that name it), or nothing (the whole
document the conversation is about). Only statements are quoted (:func:`is_statement`: a
sentence that ends like one — …다, …함, …추세 — and is no heading, caption, table row,
PDF debris or ticker list). The headline of a whole document or part is its opening
statement, where a writer states the point; the bullets are chosen greedily (:func:`_spread`):
central to the scope and close to the request, a figure preferred, unlike what is already
chosen, and from a part not yet quoted, so a report's summary walks its chapters (and its
countries). They are grouped by the part they come from; the label says the scope
("보고서 전체" or "‘X’").

**Comparisons.** Each side's statements (its own sections, and elsewhere the sentences that
name it: "한국에서는 …", "국내의 경우 …") are ranked for the request about that side; the
best few are lined up in a table (:func:`_line_up`): the request's topic first, a sentence
that states both sides across both cells, pairs of alike statements, and a statement whose
kind (obstacles, policy, outlook, platforms…) or distinctive words the other side never
states beside "문서에 없음".
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
# Scoring weights, set on the report's tune summaries: a section's lead sentence and a
# sentence with a figure are what a reader of a report summary looks for; MMR keeps the
# chosen sentences apart, and a near-duplicate of one already chosen is never added.
LEAD_BONUS = 0.04
FIGURE_BONUS = 0.04
DIVERSITY = 0.5
REDUNDANT = 0.93
TOPIC_BONUS = 0.06  # a sentence naming all of a topic's words ("온라인 교육")
WIDE_QUERY_WEIGHT = 0.15
WIDE_FIGURES = 0.02  # a whole document's summary walks its parts; a figure only tips a close call
PART_FIGURES = 0.01
DEPENDENT_PENALTY = 0.03
# what quoting a part again costs (see _spread), per level below the shared heading: a whole
# document's parts take turns strictly; a part's sections less so; a topic goes where it is
SPREAD_WIDE = (0.08, 0.04, 0.02)
SPREAD_PART = (0.04, 0.02)
SPREAD_TOPIC = (0.02, 0.01)
WHOLE_BULLETS = 7  # bullets of a whole document's summary (its parts take turns)
PART_BULLETS = 6  # of one part, country or topic
# a quantity (not a date: "1월 말부터" is when, not how much)
_FIGURE = re.compile(r"(?<![가-힣A-Za-z\d])\d[\d,.]*\s*(%|배|명|개|건|원|달러|억|만|조|천|백|위|곳|가구|세대|톤|척)")
MIN_CHARS, MAX_CHARS = 25, 260  # shorter is a caption or a fragment, longer a run-on
# words of a request that say "summarise", not what to summarise
_REQUEST_WORDS = re.compile(r"^(요약|정리|간추|간략|핵심|주요|요지|골자|개요|줄거리|내용|전반|한눈|비교|차이|설명|알려|말해|말하|보고서|문서|"
                            r"둘러싼|나온|말하는|다룬|각국|전체|"
                            r"자료|글|이|그|저|해|해줘|해주세요|해봐|하면|하라|하시오|주세요|줘|대해|대한|관련|관련된|무엇|뭐|어떤|"
                            r"어떻게|인가|인지|및|등)")
_JOSA = re.compile(r"(에\s*대해|에서|으로|로|은|는|을|를|의|과|와|에|이|가|도|만)$")


@dataclass
class _Candidate:
    chunk: Chunk
    index: int  # sentence index in the chunk
    vector: np.ndarray
    position: int = 0  # the sentence's place in its section (0: the section's first)
    score: float = 0.0  # how central and relevant choose() found it
    paragraph: tuple = ()  # (chunk id, offset) of its paragraph, in a section without parts

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
        # a topic: the sections of the best passages, and every passage that names it
        sections = {(h.chunk.doc_id, h.chunk.heading) for h in hits[:3]}
        topic = _topic_words(frame)
        return [(c, v) for c, v in chunks if (c.doc_id, c.heading) in sections
                or _mentions_topic(c.embedding_text(), topic)]

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
        n = max(1, self.store.stats.n_chunks)
        return [w for w in words if self._df(w) / n <= share]

    def _df(self, word: str) -> int:
        """The passages using *word*: its rarest morpheme of two syllables or more (itself
        when it has none)."""
        from .tokenization import morphemes

        df = self.store.stats.chunk_df
        return min(df.get(f, 0) for f in [f for f in morphemes(word) if len(f) >= 2] or [word])

    # -- choosing --------------------------------------------------------------------------
    def candidates(self, scoped) -> list[_Candidate]:
        """The sentences of *scoped* a summary may quote, each once: statements
        (:func:`is_statement`) of a readable length that are not a heading of their own
        section, nor boilerplate, nor a repeat of one already met (PDF text repeats lines)."""
        def squash(text: str) -> str:  # whitespace-insensitive, as PDF lines break anywhere
            return re.sub(r"\s+", "", text)

        cands: list[_Candidate] = []
        seen, seen_text = set(), set()
        position: dict[tuple, int] = {}
        for chunk, vecs in scoped:
            heads = {squash(h) for h in chunk.heading_path}
            for i, s in enumerate(chunk.sentences):
                key = (chunk.doc_id, s.start, s.end)
                if key in seen or i >= len(vecs):
                    continue
                seen.add(key)
                sec = (chunk.doc_id, chunk.heading)
                pos = position.get(sec, 0)
                position[sec] = pos + 1
                text = s.text.strip()
                flat = squash(text)
                if flat in seen_text:
                    continue
                seen_text.add(flat)
                if not MIN_CHARS <= len(text) <= MAX_CHARS or flat in heads:
                    continue
                if is_statement(text) and not _BOILERPLATE.search(text):
                    cands.append(_Candidate(chunk, i, vecs[i], pos))
        return cands

    def choose(self, scoped, qvec: np.ndarray, k: int | None = None, query_weight: float = 0.4,
               topic: list[str] = (), strict_topic: bool = False, figures: float | None = None,
               spread: tuple[float, ...] | None = None, lead: bool = False,
               listed: list[str] = ()) -> list[_Candidate]:
        """Sentences that cover the scope (see the module docstring).

        Each sentence is scored by how central it is to the scope (cosine to its centroid),
        how close to the request (*query_weight*), and its place in its section: writers put
        a section's point first (measured on the report's summary questions: 29 of 76 key
        sentences open their section, 13 are second). A sentence with a figure gains
        (*figures*), one that leans on the sentence before it ("또한 …", "이는 …") loses.
        They are then taken greedily (:func:`_spread`): a sentence too similar to one already
        chosen is passed over, and one from a part of the document already quoted pays
        *spread* (per level below what all share), so the parts take turns. *lead*: the
        scope's opening statement comes first, whatever its score (the headline of a whole
        document or part: where a writer states the point).

        A sentence naming the *topic*'s words ("원격의료") gains; with *strict_topic* only such
        sentences count (when there are enough of them). One that names a *listed* name only
        as an item of a list of names loses."""
        cands = self.candidates(scoped)
        if topic and strict_topic:
            on = [c for c in cands if _mentions_topic(c.sentence.text, topic)]
            if len(on) >= MIN_SENTENCES:
                cands = on
        if not cands:
            return []
        flat = len({tuple(c.chunk.heading_path) for c in cands}) == 1
        if flat:
            # one section with no parts (an encyclopedia article): its paragraphs are its parts,
            # each opened by its point, as a section is
            _by_paragraph(cands)
        V = np.stack([c.vector for c in cands]).astype(np.float32)
        centroid = V.mean(0)
        centroid /= np.linalg.norm(centroid) or 1.0
        rel = (1 - query_weight) * (V @ centroid) + query_weight * (V @ qvec)
        fig = FIGURE_BONUS if figures is None else figures
        rel += np.array([LEAD_BONUS / (1 + c.position) + (fig if _FIGURE.search(c.sentence.text) else 0.0)
                         - (DEPENDENT_PENALTY if _DEPENDENT.search(c.sentence.text) else 0.0)
                         for c in cands])
        if topic:
            rel += np.array([TOPIC_BONUS * _topic_share(c.sentence.text, topic) for c in cands])
        if listed:
            # a summary of a name is what is said of it, not a list it is one item of ("슬랙,
            # 웹엑스 및 줌과 같은 …": a sentence about Japanese firms)
            rel -= np.array([LISTED_PENALTY if _only_listed(c.sentence.text, listed) else 0.0 for c in cands])
        first = None
        if lead:
            first = next((j for j, c in enumerate(cands) if not _DEPENDENT.search(c.sentence.text)), 0)
        k = k or MAX_SENTENCES
        chosen = _spread(cands, V, rel, k, SPREAD_PART if spread is None else spread, first,
                         parts=flat)
        for j in chosen:
            cands[j].score = float(rel[j])
        picked = [cands[j] for j in chosen]
        if lead and picked:
            picked[0].score = float("inf")  # the headline
        return sorted(picked, key=lambda c: (c.chunk.doc_id, c.sentence.start))

    def summarize(self, frame: QuestionFrame, hits, qvec: np.ndarray, history_docs: list[str] = (),
                  whole: bool = False):
        """``(text, citations, scope label, outline)`` of the summary, or None when nothing is in
        scope. The outline is a headline sentence and 3–7 bullets grouped by the part of the
        document they come from (:func:`outline_of`). *whole*: the whole document the request
        or the conversation is about, whatever the request's words."""
        named = [] if whole else [c for c in frame.constraints if c.kind in ("country", "place", "name")]
        names = [c.surface for c in named]
        words = [] if whole else [w for w in _topic_words(frame, keep_places=True, short=self._a_name)
                                  if w not in names]
        topic = self._specific([w for w in words if not places_in("country", w)],
                               share=0.4 if len(words) >= 2 else 0.25)
        part = None if whole else self._part_named(words + names, hits, frame.text)
        entity = False
        if part is not None:
            # the words the part's headings say are what the part is, not a topic within it
            heads = surface_key(" ".join(h for c, _ in part for h in c.heading_path))
            topic = [w for w in topic if not all(surface_key(x) in heads for x in re.split(r"[·/]", w) if x)]
            scoped, mode = part, ("topic" if topic else "part")
        elif whole:
            # a document the request names by its title wins over the passages retrieval ranked
            # first and the conversation's ("러시아 원정 전체를 요약해줘": 천안함's page ranked
            # first for 러시아 … 전체)
            titled = self.titled(frame.text)
            history_docs = [titled] if titled else list(history_docs)
            scoped, mode = _own_summary(self.scope_chunks(replace_text(frame, ""), hits, [], history_docs)), "whole"
        else:
            scoped = self.scope_chunks(frame, hits, names, list(history_docs))
            mode = "topic" if topic else ("part" if names else "whole")
            if mode == "part" and not any(surface_key(n) in surface_key(" ".join(c.heading_path))
                                          for c, _ in scoped for n in names):
                # a name no heading gives (아마존, a company the text mentions here and there):
                # what is said of it, not the centre of the sections that mention it
                topic, entity, mode = list(names), True, "topic"
            if mode == "whole":
                scoped = _own_summary(scoped)
        if mode == "whole":
            picked = self.choose(scoped, qvec, k=WHOLE_BULLETS + 1, query_weight=WIDE_QUERY_WEIGHT,
                                 figures=WIDE_FIGURES, spread=SPREAD_WIDE, lead=True)
        elif mode == "part":
            # a part or a country: what its sections are about (their centre), not the
            # request's words ("현황") nor the most quotable figure
            picked = self.choose(scoped, qvec, k=PART_BULLETS + 1, query_weight=WIDE_QUERY_WEIGHT,
                                 figures=PART_FIGURES, spread=SPREAD_PART, lead=True)
        else:
            # a topic, in a named part or across the document: what is about it
            picked = self.choose(scoped, qvec, k=PART_BULLETS + 1, query_weight=0.7 if names else 0.75,
                                 topic=topic, strict_topic=entity or not names, spread=SPREAD_TOPIC,
                                 listed=topic)
        if not picked:
            return None
        doc = picked[0].chunk.doc_id
        if mode == "whole":
            noun = _whole_noun(frame.text)
            # a document under one title (a bill, a statute) is named by it: "이 법안 요약해줘"
            # in a conversation about the 하도급법 says which bill it summarises
            titles = {c.heading_path[0] for c, _ in scoped if c.doc_id == doc and c.heading_path}
            title = next(iter(titles)) if len(titles) == 1 and len(next(iter(titles))) <= 60 else ""
            if history_docs and title:
                label = f"‘{title}’ 전체"
            else:
                label = f"{noun} 전체" if noun else f"‘{title or _doc_label(doc)}’ 전체"
        else:
            about = _clean_label(frame.text)
            if not about and part is not None:
                about = " · ".join(dict.fromkeys(c.heading_path[-1] for c, _ in part if c.heading_path))
            about = about or " ".join(dict.fromkeys(names + topic)) or _doc_label(doc)
            label = f"‘{about}’"
        text, cites, outline = outline_of(picked, qvec, label)
        return text, cites, label, outline

    def _a_name(self, word: str) -> bool:
        """Is a one-syllable *word* a name the documents use (줌), not a word of the request?
        It is a term of few passages."""
        stats = self.store.stats
        df = stats.chunk_df.get(word, 0)
        return re.fullmatch(r"[가-힣]", word) is not None and 0 < df <= SHORT_NAME_SHARE * max(1, stats.n_chunks)

    def titled(self, request: str) -> str | None:
        """The document *request* names by its title — its file name without extension and
        disambiguation ("김민희__1982년_.md": 김민희), as whole words followed by a particle,
        a space or the end — the longest such title; else None."""
        best, size = None, 0
        for doc in self._chunk_ids():
            title = re.split(r"\s{2,}", _doc_label(doc).strip())[0].strip()
            words = title.split()
            if not words or len(title) < 2 or len(title) <= size:
                continue
            spelled = r"\s*".join(re.escape(w) for w in words)
            if re.search(rf"(?<![가-힣A-Za-z0-9]){spelled}(?=$|[\s,.?!]|(을|를|은|는|이|가|의|에|도|과|와)(?![가-힣]))",
                         request, re.I):
                best, size = doc, len(title)
        return best

    def _part_named(self, words: list[str], hits, request: str = ""):
        """The chunks of the parts of the document whose headings the request names
        ("국내" → "국내 비대면 산업 현황"; "비대면 경제의 영향과 IT·SW 업계의 기회" → both of
        those sections), or None. A heading is named when most of its own words are in the
        request; the highest such level wins, and a heading inside another named one adds
        nothing."""
        if not words or not hits:
            return None
        joined = bool(re.search(r"[가-힣A-Za-z](과|와|및)\s", request))
        doc = hits[0].chunk.doc_id
        chunks = self._fetch(self._chunk_ids().get(doc, []))
        request = surface_key(request)
        depth = max((len(c.heading_path) for c, _ in chunks), default=0)
        # a document under one title (a bill): the request names it by its title, so a part's
        # heading words the title also has name no part ("법률 제 호" of a 법률안)
        titles = {c.heading_path[0] for c, _ in chunks if c.heading_path}
        title = surface_key(next(iter(titles))) if len(titles) == 1 else ""
        for level in range(depth):
            heads = list(dict.fromkeys(c.heading_path[level] for c, _ in chunks if len(c.heading_path) > level))
            if len(heads) < 2:
                continue
            share = {h: _heading_named(h, request, joined, title) for h in heads}
            top = max(share.values())
            # one part, unless the request joins two ("A와 B를 정리해줘"): then the parts it names
            named = [h for h, v in share.items() if v and (joined or v == top)]
            if named and len(named) <= (3 if joined else 1):
                return [(c, v) for c, v in chunks if len(c.heading_path) > level and c.heading_path[level] in named]
        return None

    # -- comparing -------------------------------------------------------------------------
    def side_statements(self, side: str, aliases: tuple[str, ...], docs: list[str],
                        others: tuple[str, ...] = ()) -> list[_Candidate]:
        """The statements about one side of a comparison: those of the sections whose heading
        names it (but not one there about another place only, as a PDF's stray line can be,
        nor, in a section whose heading names the other side too, *others*, one that does
        not name this side), and elsewhere those that name it as what they are about
        ("한국에서는 …", "국내의 경우 …"; a name that is not a place: any mention); every
        statement of a document that opens naming this side and never names the other."""
        ids = self._chunk_ids()
        chunks = self._fetch([i for d in docs for i in ids.get(d, [])])
        keys = [surface_key(a) for a in aliases if surface_key(a)]
        other_keys = [surface_key(a) for a in others if surface_key(a)]
        place = set().union(*(places_in("country", a) for a in aliases))
        # a document whose opening names the side and which never names the other side is
        # about it, every statement of it ("국군부대의 임무는 …" of the bill on 청해부대)
        whole: dict[str, str] = {}
        for chunk, _ in chunks:
            whole[chunk.doc_id] = whole.get(chunk.doc_id, "") + surface_key(chunk.embedding_text())
        opening = {d: surface_key(next((c.embedding_text() for c, _ in chunks if c.doc_id == d), "")) for d in whole}
        about = {d for d, t in whole.items() if other_keys and any(k in opening[d] for k in keys)
                 and not any(o in t for o in other_keys)}
        out = []
        for c in self.candidates(chunks):
            text = c.sentence.text
            heads = [surface_key(h) for h in c.chunk.heading_path]
            if c.chunk.doc_id in about:
                out.append(c)
            elif any(k in h for h in heads for k in keys):
                if any(k in h for h in heads for k in other_keys) and not _topic_share(text, list(aliases)):
                    continue  # "스마트팩토리, 디지털 금융 가속화": each side its own sentences
                # a line about another place that strayed into the side's section ("국내에서는 …"
                # under 중국) names that place as its topic and not the side at all
                key = surface_key(text)
                stray = place and not any(k in key for k in keys) and any(
                    _names_side(text, (p,), True) for p in _place_words(text) if p not in place)
                if not stray:
                    out.append(c)
            elif _names_side(text, aliases, bool(place)):
                out.append(c)
        return out

    def rank_sides(self, frame: QuestionFrame, sides: list[str], names: dict, hits_for, qvec_for):
        """``(best statements per side, all statements per side, topic words)`` of a
        comparison (see :meth:`compare`), or ``(None, None, topic)`` when a side has none.

        With a topic ("재택근무"), a side's statements are those of its passages that name it
        (when there are enough), and of those the ones that name its most specific word or sit
        under a heading that does (when there are two). Each is scored by its cosine to the request about the side,
        plus gains for naming the topic, sitting in a section whose heading the topic names,
        a figure, opening its section, and coming from a passage retrieval ranks high for the
        request; a sentence leaning on the one before it loses a little."""
        every = {a for s in sides for a in names[s]}
        topic = self._specific([w for w in _topic_words(frame) if w not in every
                                and not any(surface_key(a) in surface_key(w) for a in every)], share=0.6)
        request = surface_key(_topic_label(frame.text, every))
        docs: list[str] = []
        ranked, full = {}, {}
        side_hits = {side: hits_for(side) for side in sides}
        for side in sides:
            docs = list(dict.fromkeys(docs + [h.chunk.doc_id for h in side_hits[side][:3]]))
        for side in sides:
            # the passages retrieval ranks best for the request about this side (words and
            # meaning together) lend their sentences a prior
            rank = {}
            for h in side_hits[side]:
                rank.setdefault(h.chunk.chunk_id, h.rank)
            cands = self.side_statements(side, names[side], docs[:3],
                                         tuple(a for o in sides if o != side for a in names[o]))
            if topic:
                key = self._specific_group(topic)
                # the passages about the topic ("재택근무"), when the side has enough of them
                on = [c for c in cands if _mentions_topic(c.chunk.embedding_text(), topic)]
                cands = on if len(on) >= MIN_SENTENCES else cands
                # …and of those, the statements that name its most specific word ("교육" of
                # "온라인 교육 시장"; a word of its group: 원격근무 for 재택근무) or sit under a
                # heading that does: a side's passage on 교육 also states its 정보보호 outlook,
                # which is no row of a comparison of online education
                on = [c for c in cands if _mentions_topic(f"{c.sentence.text} {' '.join(c.chunk.heading_path)}", key)]
                cands = on if len(on) >= SIDE_ON_TOPIC else cands
            if not cands:
                return None, None, topic
            qv = qvec_for(side)
            V = np.stack([c.vector for c in cands]).astype(np.float32)
            rel = V @ qv
            rel += np.array([SIDE_TOPIC * _topic_share(c.sentence.text, topic)
                             + SIDE_HEADING * _leaf_named(c.chunk.heading_path, request, names[side])
                             + (SIDE_FIGURE if _FIGURE.search(c.sentence.text) else 0.0)
                             + SIDE_LEAD / (1 + c.position)
                             + SIDE_RANK / rank.get(c.chunk.chunk_id, 1e9)
                             - (DEPENDENT_PENALTY if _DEPENDENT.search(c.sentence.text) else 0.0)
                             for c in cands])
            for c, r in zip(cands, rel):
                c.score = float(r)
            full[side] = cands
            ranked[side] = _top_distinct(cands, V, rel, SIDE_SENTENCES)
        return ranked, full, topic

    def _specific_group(self, words: list[str]) -> list[str]:
        """The topic word fewest passages use, with the other words of its synonym group."""
        from .question import lexicon

        word = min(words, key=self._df)
        return list(lexicon().synonyms.get(surface_key(word), ())) or [word]

    def compare(self, frame: QuestionFrame, sides: list[str], hits_for, qvec_for,
                aliases: dict[str, tuple[str, ...]] | None = None):
        """``(text, citations, table)``: the two sides lined up aspect by aspect, or None.

        Each side's statements (:meth:`side_statements`; *aliases*: the other names a side
        goes by, "국내" for 한국) are ranked (:meth:`rank_sides`) and the best few of each are
        lined up (:func:`_line_up`) into rows ``{"aspect", "cells": {side: {"text",
        "citation"} | None}}``; None is "문서에 없음". *hits_for(side)* retrieves passages for
        the request about one side (which documents to look in, and which passages rank
        high for it); *qvec_for(side)* embeds that request."""
        aliases = aliases or {}
        names = {s: tuple(dict.fromkeys((s,) + tuple(aliases.get(s, ())))) for s in sides}
        every = {a for s in sides for a in names[s]}
        ranked, full, topic = self.rank_sides(frame, sides, names, hits_for, qvec_for)
        if ranked is None:
            return None
        stats = self.store.stats
        n_chunks = max(1, stats.n_chunks)
        rows = _line_up(sides, ranked, full, names, topic,
                        lambda w: stats.chunk_df.get(w, 0) / n_chunks <= RARE_SHARE)
        if not rows:
            return None
        # (not a word of a side's name: "해로 관광이랑 육로 관광" has no topic besides its sides)
        label_topic = _topic_label(frame.text, every) or " ".join(
            w for w in topic if not any(w.startswith(a.split()[-1]) for a in every))
        table_rows, cites, lines = [], [], []
        number: dict[tuple, int] = {}

        def cell(c):
            if c is None:
                return None
            if c.key not in number:
                number[c.key] = len(number) + 1
                cites.extend(compose([c], start=number[c.key])[1])
            n = number[c.key]
            return {"text": f"{c.sentence.text.strip()} [{n}]", "citation": n}

        for kind, a, b in rows:
            taken = [r["aspect"] for r in table_rows]
            aspect = label_topic if kind == "topic" and label_topic else _aspect_label(a, b, sides, taken)
            table_rows.append({"aspect": aspect, "cells": {sides[0]: cell(a), sides[1]: cell(b)}})
        if sum(1 for r in table_rows for v in r["cells"].values() if v) < 2:
            return None
        for r in table_rows:
            lines.append(f"■ {r['aspect']} — " + " / ".join(
                f"{side}: {r['cells'][side]['text'] if r['cells'][side] else NOT_STATED}" for side in sides))
        table = {"columns": list(sides), "rows": table_rows}
        head = f"{' · '.join(sides)} 비교 ({len(table_rows)}개 항목)"
        return head + "\n" + "\n".join(lines), cites, table


NOT_STATED = "문서에 없음"
SHORT_NAME_SHARE = 0.25  # a one-syllable word in at most this share of passages names something (줌)
SIDE_ON_TOPIC = 2  # a side keeps only its statements on the topic's specific word when it has this many
SIDE_SENTENCES = 5  # the best statements of each side that are lined up
MAX_ROWS = 6
SIDE_TOPIC = 0.05  # what naming the request's topic adds to a side's statement
SIDE_FIGURE = 0.04
SIDE_HEADING = 0.03  # …and being in a section whose heading the request's topic names
SIDE_LEAD = 0.02
SIDE_RANK = 0.04  # …and coming from a passage retrieval ranks high for it (/ its rank)
RARE_SHARE = 0.1  # a word in at most this share of the passages is distinctive of a statement
# what, besides cosine, makes two statements alike (_likeness): shared words (Jaccard), one
# kind, like section headings, the same place in their sections (measured: no help, kept 0)
LEXICAL = 0.15
FACET = 0.03
HEADING = 0.04
PLACE = 0.0
# kinds of statement a comparison lines up (label, cue); the first both share names the row
_FACETS = (
    ("장애 요인", re.compile(r"이유로는|원인|장애|걸림돌|어려움|어려울|지켜지지|않았|않는|못하|못한|부족|논란|우려|한계|부진|"
                         r"위축|타격|둔화|철수|유출|소송")),
    ("고용", re.compile(r"고용|채용|일자리|직원.{0,15}(뽑|채용)")),
    ("정부 대응", re.compile(r"정부|당국|행정원|총리|장관|지시령|지시|부양책|규제|정책")),
    ("향후 전망", re.compile(r"전망|예상|될 것|할 것|것으로 보|기대|계기가|가능성")),
    # a figure that grew ("4배 증가한 500만 명", "두 배가 증가")
    ("증가·성장", re.compile(r"(?:" + _FIGURE.pattern + r"|(?<![가-힣])(?:두|세|네|다섯|열)\s*배).{0,40}?"
                          r"(?:증가|성장|급증|폭증|늘었|늘어|늘며|늘고|뛰었)")),
    ("주요 업체·플랫폼", re.compile(r"플랫폼|업체|스타트업|프로그램|메신저|솔루션|출시|배포")),
    ("주요 지표", _FIGURE),
)


def _facets(text: str) -> set[str]:
    return {name for name, cue in _FACETS if cue.search(text)}


# where a sentence turns ("…위축될 것으로 보이나 …성장할 것으로 예상"): what follows is its point
_TURN = re.compile(r"(?:으나|이나|지만|반면|는데|[가-힣]나)[,\s]|(?:며|고|면서),\s")


def _facet(text: str) -> str | None:
    """The one kind a statement is (:data:`_FACETS`, the first that matches): judged on its
    last clause first (a contrast's point comes last), then on the whole sentence."""
    parts = _TURN.split(text)
    for t in ((parts[-1], text) if len(parts) > 1 else (text,)):
        for name, cue in _FACETS:
            if cue.search(t):
                return name
    return None


def _leaf_named(path: tuple[str, ...], request: str, side_names: tuple[str, ...]) -> float:
    """The share of the words of a section's own heading (the side's name aside) that the
    request's topic names ("일본의 재택근무 현황" for "재택근무 현황": 1)."""
    if not path or not request:
        return 0.0
    words = [_stem(w) for w in re.split(r"[\s,:·/()]+", path[-1])]
    drop = {surface_key(n) for n in side_names}
    words = [surface_key(w) for w in words if len(w) >= 2 and surface_key(w) not in drop and w not in ("및", "등")]
    return sum(1 for w in words if w in request) / len(words) if words else 0.0


def _place_words(text: str) -> set[str]:
    """The country names *text* uses, as written ("국내", "일본"), with their canonical names."""
    from .question import lexicon

    out = set()
    for canon in places_in("country", text):
        out.add(canon)
        out.update(n for n in lexicon().countries.get(canon, ()) if n in text)
    return out


def _names_side(text: str, aliases: tuple[str, ...], place: bool) -> bool:
    """Does *text* name a side as what it is about: a place followed by a topic or subject
    particle ("한국에서는", "국내의 경우", "일본은"; not "미국 등 선진국에 비해"), a name
    anywhere (not inside another word)?"""
    for a in aliases:
        for m in re.finditer(re.escape(a), text):
            if m.start() and "가" <= text[m.start() - 1] <= "힣":
                continue
            if not place:
                return True
            after = text[m.end():m.end() + 8]
            if re.match(r"(에서는|에서도|에서|의\s*경우|의|은|는|이|가|도)(?![가-힣])", after) or \
                    re.match(r"\s*(정부|기업)", after):
                return True
    return False


def _top_distinct(cands: list[_Candidate], V: np.ndarray, rel: np.ndarray, k: int) -> list[_Candidate]:
    """The *k* best candidates, none a near-duplicate of a better one."""
    out: list[int] = []
    for j in np.argsort(-rel):
        if all(float(V[j] @ V[i]) <= REDUNDANT for i in out):
            out.append(int(j))
        if len(out) >= k:
            break
    return [cands[j] for j in out]


def _content_words(text: str, drop: set[str]) -> set[str]:
    from .tokenization import content_words

    return set(content_words(text) - drop)


def _likeness(a: _Candidate, b: _Candidate, words: dict, drop: set[str]) -> float:
    """How alike two statements of different sides are: cosine, plus shared words (Jaccard),
    a shared kind (:data:`_FACETS`), and the document's own parallels: sections of the two
    sides with like headings ("대만 > 향후 전망" / "베트남 > 향후 전망") and the same place in
    them (a report states each country's points in the same order)."""
    for c in (a, b):
        if c.key not in words:
            leaf = c.chunk.heading_path[-1] if c.chunk.heading_path else ""
            words[c.key] = (_content_words(c.sentence.text, drop), _facet(c.sentence.text),
                            _content_words(leaf, drop))
    (wa, fa, ha), (wb, fb, hb) = words[a.key], words[b.key]
    jac = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
    head = len(ha & hb) / len(ha | hb) if ha | hb else 0.0
    return (float(a.vector @ b.vector) + LEXICAL * jac + (FACET if fa and fa == fb else 0.0)
            + HEADING * head + (PLACE if a.position == b.position else 0.0))


def _line_up(sides: list[str], ranked: dict, full: dict, names: dict, topic: list[str], rare) -> list[tuple]:
    """Rows ``(label, statement of side 0 | None, statement of side 1 | None)`` (see
    :meth:`Summarizer.compare`).

    Each side's best statements (*ranked*) are lined up: first the request's topic (each
    side's best statement on it, one with a figure if one is close), then a sentence that
    states both sides, then pairs of statements, the likest first (:func:`_likeness`), then
    the statements left, best first: one the other side says nothing like (nothing of its
    kind, :func:`_facet`, nor with its distinctive words, *rare*) gets "문서에 없음" there;
    another is paired with the other side's likest statement not yet in the table."""
    first, second = sides
    drop = {m for s in sides for a in names[s] for m in (a, surface_key(a))} | set(topic)
    words: dict = {}
    rows: list[tuple] = []
    used: set = set()
    A, B = ranked[first], ranked[second]

    def like(a, b):
        return _likeness(a, b, words, drop)

    if topic:
        def lead(pool):
            return next((c for c in pool if c.score >= pool[0].score - TOPIC_FIGURE_MARGIN
                         and _FIGURE.search(c.sentence.text)), pool[0])

        a, b = lead(A), lead(B)
        rows.append(("topic", a, b))
        used |= {a.key, b.key}
    for c in A:
        if c.key not in used and any(c.key == d.key for d in B):
            rows.append(("both", c, c))
            used.add(c.key)
    while len(rows) < MAX_ROWS:
        free_a = [c for c in A if c.key not in used]
        free_b = [c for c in B if c.key not in used]
        if not free_a or not free_b:
            break
        p, a, b = max(((like(a, b), a, b) for a in free_a for b in free_b), key=lambda t: t[0])
        if p < PAIR_FLOOR:
            break
        rows.append(("pair", a, b))
        used |= {a.key, b.key}
    left = sorted([(c.score, 0, c) for c in A if c.key not in used] + [(c.score, 1, c) for c in B if c.key not in used],
                  key=lambda t: -t[0])
    for _, i, c in left:
        if len(rows) >= MAX_ROWS:
            break
        if c.key in used:  # paired with a statement left over before it
            continue
        others = full[sides[1 - i]]
        d = _same_kind(c, others, used, like, {x.key for x in full[sides[i]]})
        if d is None and _silent(c, others, rare, drop):
            rows.append(("alone", c, None) if i == 0 else ("alone", None, c))
            continue
        if d is None:
            cands = [d for d in others if d.key not in used and d.key != c.key]
            d = max(cands, key=lambda d: like(c, d)) if cands else None
        if d is not None:
            rows.append(("pair", c, d) if i == 0 else ("pair", d, c))
            used |= {c.key, d.key}
    return rows[:MAX_ROWS]


# kinds too loose to say two statements state one thing: any figure; anything naming a firm,
# a platform or a product ("업체", "솔루션" are in most statements of a market report)
_LOOSE_KINDS = (None, "주요 지표", "주요 업체·플랫폼")


def _same_kind(c: _Candidate, others: list[_Candidate], used: set, like, mine: set) -> _Candidate | None:
    """The other side's statement of *c*'s kind (:func:`_facet`: an outlook for an outlook…;
    not of a loose kind, :data:`_LOOSE_KINDS`) that the table quotes already, the likest: a
    statement can state two things ("매년 20% 이상 성장해 왔으며 … 가속화될 것으로 보임" is the
    market's growth and its outlook), and the row of the second says so again rather than
    calling that side silent. None when the table quotes no such statement of the other side
    (then it is paired or called silent as before, :func:`_silent`)."""
    kind = _facet(c.sentence.text)
    if kind in _LOOSE_KINDS:
        return None
    # (not a statement of both sides, *mine*: a row of its own says it once already)
    alike = [o for o in others if o.key not in mine and kind in _facets(o.sentence.text)]
    pool = [o for o in alike if o.key in used]
    return max(pool, key=lambda o: like(c, o)) if pool else None


def _silent(c: _Candidate, others: list[_Candidate], rare, drop: set[str]) -> bool:
    """Is the other side silent on what *c* states: it states nothing of *c*'s kind (an
    obstacle, a policy, an outlook…; figures are not a kind of their own), or nothing with
    any of *c*'s distinctive words (*rare(word)*: few passages use it)?"""
    kind = _facet(c.sentence.text)
    if kind not in (None, "주요 지표") and not any(_facet(o.sentence.text) == kind for o in others):
        return True
    mine = {w for w in _content_words(c.sentence.text, drop) if rare(w)}
    if not mine:
        return False
    return not any(mine & _content_words(o.sentence.text, drop) for o in others)


PAIR_FLOOR = 0.86  # two statements at least this alike (_likeness) share a row
TOPIC_FIGURE_MARGIN = 0.05  # the topic row takes a statement with a figure this close to the best


def _aspect_label(a: _Candidate | None, b: _Candidate | None, sides: list[str], taken=()) -> str:
    """A row's name: the kind of statement both cells are (정부 대응, 향후 전망 …), else the
    kinds of the two ("주요 업체·플랫폼 / 정부 대응"), else a lone cell's kind, else the section
    a cell comes from below its side's heading — the first of these no earlier row has
    (*taken*)."""
    cells = [c for c in (a, b) if c is not None]
    kinds = [_facet(c.sentence.text) for c in cells]
    every = [_facets(c.sentence.text) for c in cells]
    names = []
    if len(cells) == 2 and kinds[0] and kinds[0] == kinds[1]:
        names.append(kinds[0])
    if len(cells) == 2:
        names += [n for n, _ in _FACETS if n in every[0] and n in every[1]]
        if all(kinds) and kinds[0] != kinds[1]:
            # two kinds: the row says both, as naming one would say it of the other cell too
            names.append(f"{kinds[0]} / {kinds[1]}")
    else:
        names += [k for k in kinds if k] + [n for n, _ in _FACETS if any(n in e for e in every)]
    names += [_aspect_title(tuple(c.chunk.heading_path), sides) for c in cells]
    names = [n for n in dict.fromkeys(names) if n]
    free = next((n for n in names if n not in taken), None)
    if free is not None or not names:
        return free or ""
    # every name is some earlier row's: numbered, as two rows of one name read as one aspect twice
    n = sum(1 for t in taken if t == names[0] or t.startswith(names[0] + " (")) + 1
    return f"{names[0]} ({n})"


def _aspect_title(path: tuple[str, ...], sides: list[str]) -> str:
    """What a section is about below a side's heading ("대만 > 원격근무" → "원격근무")."""
    keys = [surface_key(s) for s in sides]
    for i, h in enumerate(path):
        if any(k and k in surface_key(h) for k in keys):
            rest = path[i + 1:]
            return rest[0] if rest else h
    return path[-1] if path else ""


def _topic_label(text: str, sides: set[str]) -> str:
    """The request's topic in its own words, its sides and request words aside ("중국과
    일본의 재택근무 현황을 비교해줘" → "재택근무 현황")."""
    t = re.sub(r"[?？.!]+\s*$", "", text or "")
    t = re.sub(r"\s*(을|를|은|는|이|가)?\s*(서로\s*)?(비교|대비|차이)[^\s]*(\s+\S+)?\s*$", "", t)
    t = re.sub(r"(?<![가-힣])[한일중미대베러영독불북]{2}(양국|간|의)?(?=\s|$)", " ", t)  # "한일": the sides
    for s in sorted(sides, key=len, reverse=True):
        t = re.sub(re.escape(s) + r"(과|와|하고|랑|이랑|의|으로|로|을|를|은|는|이|가|에서)?", " ", t)
    t = re.sub(r"^\s*(의|과|와|을|를)\s+", "", " ".join(t.split()))
    t = re.sub(r"\s*(의|을|를|은|는|이|가|으로|로)$", "", t).strip()
    return t if 2 <= len(t) <= 30 else ""


_STRIP_JOSA = re.compile(r"(으로의|로의|에서의|에서는|에서|으로|로|의|은|는|을|를|이|가|과|와|및|에|도)$")


def _stem(word: str) -> str:
    """*word* without a trailing particle ("경제의" → "경제"), unless that leaves one syllable
    or the particle is the noun's own ("강의", "회의")."""
    if re.search(r"(강의|회의|논의|합의|협의|동의|정의|주의|편의|문의|의의)$", word):
        return word
    stem = _STRIP_JOSA.sub("", word)
    return stem if len(stem) >= 2 else word


# the part in which a document states its own summary: a bill's 제안이유 및 주요내용, a
# report's 요약 or 개요
_SUMMARY_PART = re.compile(r"^\s*(요\s*약|개\s*요|핵심\s*요약|주\s*요\s*내\s*용|제\s*안\s*이\s*유(\s*및\s*주\s*요\s*내\s*용)?)\s*$")


def _own_summary(scoped: list) -> list:
    """Of a whole document, the parts where it summarises itself (a bill's 제안이유 and
    주요내용), when it has them with enough statements to quote; else all of it. A bill's
    amended articles, addenda and old/new table are its text, not what it is about."""
    own = [(c, v) for c, v in scoped if any(_SUMMARY_PART.match(h) for h in c.heading_path[1:])]
    docs = {c.doc_id for c, _ in scoped}
    if len(docs) != 1 or sum(len(c.sentences) for c, _ in own) < MIN_SENTENCES:
        return scoped
    return own


def _heading_named(heading: str, request: str, joined: bool, title: str = "") -> float:
    """How much of *heading* the request names: the share of the heading's own words (their
    particles aside, and those of the document's *title*) found in the request's text (0 when
    under 0.75, or 0.6 when the request joins two things, "A와 B를 정리해줘")."""
    words = [_stem(w) for w in re.split(r"[\s,:·/()]+", heading)]
    # (a part's number is no word of it: "제5장 법원" is all named by "법원에 관한 규정")
    words = [surface_key(w) for w in words if len(w) >= 2 and w not in ("및", "등", "관련")
             and not _PART_NUMBER.fullmatch(w)]
    words = [w for w in words if w not in title]
    if not words:
        return 0.0
    share = sum(1 for w in words if w in request) / len(words)
    return share if share >= (0.6 if joined else 0.75) else 0.0


_PART_NUMBER = re.compile(r"제\s*\d+\s*(편|장|절|관|조)(의\s*\d+)?|\d+[.)]?|[IVX]+\.?")


def _whole_noun(text: str) -> str:
    """What the request calls the document ("보고서", "법안", "헌법"…), else ""."""
    m = re.search(r"(보고서|문서|자료|법안|법률안|헌법|기사|논문|글)", text or "")
    return m.group(1) if m else ""


# the request's own words that say "summarise this" or ask, not what is summarised
_LABEL_TAIL = re.compile(
    r"\s*(에\s*대해(서)?|에\s*관해(서)?|관련(된)?|의)?\s*(핵심|주요)?\s*(내용|부분|것|사항|점)?\s*(을|를|은|는|이|가)?\s*"
    r"(간단히|간략히|짧게|한눈에|좀|다시)?\s*(요약|정리|간추|간추려|설명|알려|말해|보여)[^\s]*(\s+\S+)?\s*$")
_LABEL_HEAD = re.compile(r"^\s*((이|그|이번|위)\s*)?(보고서|문서|자료|글)(가|에|에서|의)?\s*(말하는|나온|다룬|정리한|설명하는)?\s*")


def _clean_label(text: str) -> str:
    """A summary's scope in the request's own words, without its request words ("보고서가
    말하는 비대면 경제의 영향과 IT·SW 업계의 기회를 정리해줘" → "비대면 경제의 영향과 IT·SW 업계의
    기회"), or "" when nothing is left or it is too long to be a label."""
    t = re.sub(r"[?？.!]+\s*$", "", text or "").strip()
    t = _LABEL_TAIL.sub("", t)
    t = _LABEL_HEAD.sub("", t).strip()
    t = re.sub(r"^(각국|전체)의\s*", lambda m: m.group(0) if m.group(1) == "각국" else "", t)
    t = re.sub(r"\s*(은|는|을|를|의|이|가)$", "", t).strip()
    t = re.sub(r"\s*(부분|파트)만?$|(?<=[가-힣])만$", "", t).strip()  # "베트남 부분만" → 베트남
    return t if 2 <= len(t) <= 40 and not _REQUEST_WORDS.fullmatch(t) else ""


def _topic_words(frame: QuestionFrame, keep_places: bool = False, short=None) -> list[str]:
    """What a broad request is about besides its names ("원격의료" in "중국의 원격의료 관련
    내용을 요약해줘"); generic head nouns (현황, 전망) say nothing. A one-syllable word counts
    only when *short(word)* says it names something ("줌 요약해줘")."""
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
    return [w for w in words if (len(w) >= 2 or (short is not None and short(w))) and w not in heads
            and surface_key(w) not in named and (keep_places or not places_in("country", w))]


def _by_paragraph(cands: list[_Candidate]) -> None:
    """Number each candidate's place in its paragraph (0: it opens one), and name its
    paragraph (``paragraph``: the chunk and the offset where the paragraph starts)."""
    for c in cands:
        text, at = c.chunk.text, c.sentence.start - c.chunk.start
        start = text.rfind("\n", 0, max(0, at)) + 1
        c.paragraph = (c.chunk.chunk_id, start)
        c.position = sum(1 for s in c.chunk.sentences if start <= s.start - c.chunk.start < at)


def _spread(cands: list[_Candidate], V: np.ndarray, rel: np.ndarray, k: int, spread: tuple[float, ...],
            first: int | None = None, parts: bool = False) -> list[int]:
    """Up to *k* candidates taken greedily by relevance, less DIVERSITY × their similarity to
    the closest one already taken (none above REDUNDANT), less ``spread[d]`` for each one
    already taken from the same part *d* levels below the heading all candidates share (a
    whole report: its chapters, then their countries or sections; with *parts*, a section
    without parts: its paragraphs). *first* is taken first."""
    paths = [tuple(c.chunk.heading_path) + ((c.paragraph,) if parts else ()) for c in cands]
    common = 0
    while all(len(p) > common for p in paths) and len({p[common] for p in paths}) == 1:
        common += 1
    n = len(cands)
    maxsim = np.full(n, -1.0, dtype=np.float32)
    used: dict[tuple, int] = {}
    chosen: list[int] = []

    def take(j: int) -> None:
        chosen.append(j)
        np.maximum(maxsim, V @ V[j], out=maxsim)
        for d in range(len(spread)):
            if len(paths[j]) > common + d:
                node = paths[j][:common + d + 1]
                used[node] = used.get(node, 0) + 1

    if first is not None and n:
        take(first)
    while len(chosen) < min(k, n):
        best, best_score = None, -1e9
        for j in range(n):
            if j in chosen or maxsim[j] > REDUNDANT:
                continue
            p = paths[j]
            pen = sum(w * used.get(p[:common + d + 1], 0) for d, w in enumerate(spread) if len(p) > common + d)
            score = rel[j] - DIVERSITY * max(0.0, float(maxsim[j])) - pen
            if score > best_score:
                best, best_score = j, score
        if best is None:
            break
        take(best)
    return chosen


LISTED_PENALTY = 0.1
# a name as one item of a list: "A, B 및 C와 같은", "A, B, C 등"


def _only_listed(text: str, names: list[str]) -> bool:
    """Does *text* name every one of *names* only as an item of a list of names ("슬랙,
    웹엑스 및 줌과 같은 …"): next to a comma or a 및 that joins it to another item?"""
    found = False
    for name in names:
        for m in re.finditer(re.escape(name), text):
            found = True
            before, after = text[max(0, m.start() - 3):m.start()], text[m.end():m.end() + 8]
            if not (re.search(r"(,|및)\s*$", before) or re.match(r"(\([^)]*\))?\s*,", after)):
                return False
    return found


def _topic_share(text: str, topic: list[str]) -> float:
    """The share of the topic's words the sentence names (a word or one of its nouns; "줌(Zoom)"
    by either spelling)."""
    if not topic:
        return 0.0
    from .question import _word_forms

    key = surface_key(text)

    def named(word: str) -> bool:
        alts = [a for a in re.split(r"[()（）]", word) if a.strip()] or [word]
        return any(surface_key(a) in key or any(len(f) >= 2 and surface_key(f) in key for f in _word_forms(a))
                   for a in alts)

    return sum(1 for w in topic if named(w)) / len(topic)


def _mentions_topic(text: str, topic: list[str]) -> bool:
    """Does the sentence name one of the topic's words, or one of their nouns?"""
    return _topic_share(text, topic) > 0


def _doc_label(doc_id: str) -> str:
    """A document's name for a label: its file name without folders and extensions."""
    name = PurePath(doc_id).name
    name = re.sub(r"(\.(txt|md|pdf|docx?|hwpx?|html?))+$", "", name, flags=re.I)
    return name.replace("_", " ")


_TICKER = re.compile(r"\(\d{6}\)")  # a stock code: "알서포트(131370)"
# What may close a statement once trailing citations, parentheses and quotes are set aside:
# a verb ending (…다, …요, …까), a nominalised one (…함, …음, …됨, …밝힘: a syllable closed
# by ㅁ), or the verbal or adjectival noun a 개조식 report line ends on (…증가, …추세, …전망).
_VERB_END = re.compile(r"(다|요|까|죠|는가|나요)$")
_NOUN_END = re.compile(
    r"(중|것|상황|추세|실정|수준|전망|예상|필요|가능|가능성|계획|예정|기록|발생|지시|증가|감소|급증|급감|추진|추정|"
    r"충족|활성화|가속화|지속|진단|발표|출시|분석|당부|인식|선택|무관|불과|시행|확대|확산|도입|성장|하락|상승|"
    r"강화|완화|개선|제공|운영|지원|유지|전환|달성|차지|집계|조사|보도|주장|지적|강조|언급|평가|판단|기대|우려|"
    r"설명|합의|결정|승인|요청|촉구|제안|검토|마련|구축|개발|투자|참여|진출|확보|체결|공개|부족|미흡|모색|부상|"
    r"대두|주목|각광|증대|의결|가결|완료|통과|파견|형성|변화|대응|육성|추세임|상태|양상|모양새)$")
# loanwords closed by ㅁ are nouns, not the nominalised ending (시스템, 프로그램, 플랫폼)
_LOAN_M = re.compile(r"(템|램|폼|팀|캠|럼|컴|겜|빔|핌)$")
_TRAILING = re.compile(r"(\s*(\([^()]*\)|\[[^\[\]]*\]|（[^（）]*）|『[^』]*』|[.。…!?]+|[\"'”’」』)\]])|\s+)$")
# a caption or table line: "[표] …", "자료: …", "<그림 2> …", a ruled line, a bill's comparison
# table cell ("(생 략)", "(현행과 같음)", "<신 설>")
_NOT_PROSE = re.compile(r"^\s*(\[\s*(표|그림)|[<〈]\s*(표|그림)|(자료|출처|주)\s*[:：]|[-─=_~]{3,})|"
                        r"\(\s*(생\s*략|현행과\s*같음)\s*\)|<\s*신\s*설\s*>")


def _closing_word(text: str) -> str:
    """The last word of *text* once trailing citations, parentheses, quotes and punctuation
    are set aside ("…불과하다(통계청 KOSIS)." → "불과하다")."""
    t = text.strip()
    for _ in range(6):
        stripped = _TRAILING.sub("", t)
        if stripped == t:
            break
        t = stripped
    words = t.split()
    return words[-1] if words else ""


def _ends_like_statement(word: str) -> bool:
    return bool(_VERB_END.search(word) or _NOUN_END.search(word)) or _ends_nominalised(word)


# one-syllable words that ordinary prose is full of (not debris): 약 한 달 뒤, 두 골, 그 중 …
_SHORT_WORDS = set("즉수것등및이그저때곳중더또한잘안못꼭약뒤두세네각전후위좀늘왜곧채간년월일명개번시분초원점차편측쪽내외말장권회건대층호조항총단새큰옛온제첫")


def _garbled(text: str) -> bool:
    """PDF debris: a run of one-syllable tokens ("이 내 (여 자 교 육 공만") where a table or
    a spaced-out title was read across its columns, or a two-column table read line by line
    (unbalanced parentheses, a paragraph number ① in mid-sentence)."""
    toks = [t for t in re.split(r"[\s()（）,·]+", text) if t]
    singles = sum(1 for t in toks if len(t) == 1 and "가" <= t <= "힣" and t not in _SHORT_WORDS)
    if len(toks) >= 6 and singles >= 3 and singles / len(toks) > 0.3:
        return True
    if not _balanced(text):
        return True
    return bool(re.search(r"\S.{2,}\)\s*[①-⑳]", text))


def _balanced(text: str) -> bool:
    """Are the parentheses of *text* balanced, footnote marks ("원격진료2)") aside?"""
    depth = 0
    for m in re.finditer(r"[()]", text):
        if m.group() == "(":
            depth += 1
        elif depth:
            depth -= 1
        elif not re.search(r"[가-힣A-Za-z]\d{1,2}$", text[:m.start()]):
            return False
    return depth == 0


def is_statement(text: str) -> bool:
    """A sentence a summary may quote: it ends like a statement (…다, …함, …추세, …전망, once a
    trailing citation or parenthesis is set aside) and is not a heading, a caption, a table
    row, PDF debris or a list of stock tickers."""
    t = text.strip()
    if len(_TICKER.findall(t)) >= 2:
        return False
    letters = sum(ch.isalpha() for ch in t)
    if letters < 0.55 * len(t.replace(" ", "")):
        return False  # mostly figures and symbols: a table row
    if re.match(r"^[□■○●◦▪◆◇※▶►\-–]\s*\S{0,25}$", t) or t.endswith((":", "：")):
        return False
    if _NOT_PROSE.search(t) or _garbled(t):
        return False
    word = _closing_word(t)
    if re.fullmatch(r"[A-Za-z][\w'’-]*", word or "-"):
        # a sentence in a Latin script: a full stop after several words
        return bool(re.search(r"[.!?][\"'”’)]*\s*$", t)) and len(t.split()) >= 6
    if not _ends_like_statement(word):
        return False
    # a line closed by a noun (…증가, …전망) states something only with a phrase marked as its
    # subject, topic, object or place; a heading has none ("해외 비대면 산업 현황 향후 전망")
    return bool(_VERB_END.search(word)) or _ends_nominalised(word) or bool(_ARGUMENT.search(t))


_ARGUMENT = re.compile(r"[가-힣A-Za-z\d)\]’”'\"](은|는|이|가|을|를|에서|에|으로|로|에게|와|과|도)[\s,]")


def _ends_nominalised(word: str) -> bool:
    """Does *word* end on a Hangul syllable closed by ㅁ: the nominalised ending of a 개조식
    line (…함, …됨, …밝힘), not a loanword (시스템)?"""
    last = word[-1:] if word else ""
    return bool(last) and "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 == 16 and not _LOAN_M.search(word)


# what a summary should not spend a bullet on although it is a statement: a list's
# introduction ("다음과 같이 개정한다", "다음 각 호의 …") and an enactment clause
_BOILERPLATE = re.compile(r"다음(과\s*같이|과\s*같다|의|\s*각\s*호|\s*(두|세|네|몇|\d+)\s*가지)|이\s*법은\s.*시행한다|"
                          r"일부를\s*다음과")
# a sentence that leans on the one before it ("또한 …", "이는 …", "다만 …"): fine in a list of
# findings, but it reads worse out of context, so it loses a little
_DEPENDENT = re.compile(r"^\s*(또한|그러나|하지만|따라서|그리고|이어|이어서|이에|이는|이것은|이를|이러한|이 중|이 경우|그 중|"
                        r"다만|여기서|한편|그럼에도|그래서|즉|게다가|반면|특히|이처럼|결국)[\s,]")


def outline_of(picked: list[_Candidate], qvec: np.ndarray, label: str) -> tuple[str, list[Citation], dict]:
    """The summary's text, citations and outline: a headline sentence — the best scored one
    (the scope's opening statement when :meth:`Summarizer.choose` led with it) — and the
    others as bullets grouped by the part of the document they come from, in document order,
    each with its own ``[n]``. A part is the heading below what all bullets share, or the
    country below it where the document is organised by country ("해외 … > 중국")."""
    order = sorted(picked, key=lambda c: (c.chunk.doc_id, c.sentence.start))
    head = max(order, key=lambda c: c.score)
    rest = [c for c in order if c is not head]
    paths = [tuple(c.chunk.heading_path) for c in rest] or [()]
    common = 0
    while all(len(p) > common for p in paths) and len({p[common] for p in paths}) == 1:
        common += 1
    groups: list[dict] = []
    cites: list[Citation] = []
    text_head, cs = compose([head], start=1)
    cites += cs
    n = 1
    for c in rest:
        path = tuple(c.chunk.heading_path)
        title = path[common] if len(path) > common else (path[-1] if path else "")
        if len(path) > common + 1 and _is_place_heading(path[common + 1]):
            title = path[common + 1]
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "items": []})
        n += 1
        item, cs = compose([c], start=n)
        cites += cs
        groups[-1]["items"].append(item)
    lines = [f"{label} 요약", text_head]
    for g in groups:
        if g["title"]:
            lines.append(f"■ {g['title']}")
        lines += [f"- {it}" for it in g["items"]]
    return "\n".join(lines), cites, {"label": label, "headline": text_head, "groups": groups}


def _is_place_heading(heading: str) -> bool:
    """A heading that is only a country or place name ("중국", "베트남")."""
    h = heading.strip()
    return 0 < len(h) <= 12 and bool(places_in("country", h)) and surface_key(h) in {
        surface_key(p) for p in places_in("country", h)}


def replace_text(frame: QuestionFrame, text: str) -> QuestionFrame:
    from dataclasses import replace as _replace

    return _replace(frame, constraints=(), text=text, topic=text)


def compose(picked: list[_Candidate], start: int = 1) -> tuple[str, list[Citation]]:
    """The sentences in order, each with its own ``[n]`` citation."""
    parts, cites = [], []
    for n, c in enumerate(picked, start):
        ch, s = c.chunk, c.sentence
        cites.append(Citation(n=n, chunk_id=ch.chunk_id, doc_id=ch.doc_id, heading=ch.heading,
                              line_start=s.line_start, line_end=s.line_end, passage=ch.text,
                              evidence_start=s.start - ch.start, evidence_end=s.end - ch.start,
                              passage_lines=(ch.line_start, ch.line_end),
                              location=ch.location_at(s.line_start, s.line_end)))
        parts.append(f"{s.text} [{n}]")
    return " ".join(parts), cites


_ABBREV = {"한": "한국", "일": "일본", "중": "중국", "미": "미국", "대": "대만", "베": "베트남", "러": "러시아",
           "영": "영국", "독": "독일", "불": "프랑스", "북": "북한"}


def comparison_sides(frame: QuestionFrame) -> list[str]:
    """The two things a comparison request names ("대만과 베트남", "A와 B", "한일")."""
    named = [c.surface for c in frame.constraints if c.kind in ("country", "place", "name")]
    m = re.search(r"(?<![가-힣])([한일중미대베러영독불북])([한일중미대베러영독불북])(?=\s|양국|간|의|$)", frame.text)
    if m and m.group(1) != m.group(2):
        return [_ABBREV[m.group(1)], _ABBREV[m.group(2)]]
    # "A와 B의 …": B may be several words ("스마트팩토리와 디지털 금융의 변화")
    # (로 ends no one-syllable word: "육로 관광을" is 육로 관광, not 육 + 로)
    m = re.search(r"(?<![\w·])([\w·]+?)(?:와|과|하고|이랑|랑)\s+((?:[\w·]+\s+){0,2}?[\w·]+?)"
                  r"(?:의|을|를|은|는|이|가|에|(?<=[\w·]{2})(?:으로|로))(?=\s|$|[?？])", frame.text) or \
        re.search(r"(?<![\w·])([\w·]+?)(?:와|과|하고|이랑|랑)\s+([\w·]+)(?=\s|$|[?？])", frame.text)
    pair = [m.group(1), m.group(2)] if m else []
    if pair and " " in pair[1] and pair[1].split()[-1] == pair[0]:
        # "해로 관광이랑 육로 관광": the two share the head word, the first's modifier before it
        before = re.search(r"([\w·]+)\s+$", frame.text[:m.start()])
        pair[0] = f"{before.group(1)} {pair[0]}" if before else pair[0]
    if len(named) >= 2 and not (pair and all(any(n in p or p in n for n in named) for p in pair)):
        return named[:2]
    return pair or named[:2]


# what the document calls a side ("한국" is written about under "국내")
SIDE_ALIASES = {"한국": ("국내", "우리나라", "한국"), "우리나라": ("국내", "한국"), "국내": ("국내", "한국")}


def _side_aliases(frame: QuestionFrame, sides: list[str], store) -> dict[str, tuple[str, ...]]:
    """Each side's other names the documents may use: the question's own aliases for it (a
    country's names) and :data:`SIDE_ALIASES`, those the documents mention."""
    out = {}
    for side in sides:
        names = [side]
        for c in frame.constraints:
            if c.surface == side or side in getattr(c, "names", ()):
                names += [n for n in c.names if re.search(r"[가-힣]", n) or len(n) >= 4]
        names += list(SIDE_ALIASES.get(side, ()))
        names = list(dict.fromkeys(n for n in names if n))
        out[side] = tuple(n for n in names if n == side or store.mentions(surface_key(n)))
    return out


def broad_answer(frame: QuestionFrame, hits, qvec: np.ndarray, store, retrieve, encode_query,
                 previous=None, whole: bool = False,
                 history_docs: list[str] = ()) -> tuple[str, list[Citation], str, dict | None] | None:
    """``(text, citations, kind, structure)`` for a broad request — a comparison of the two
    sides it names (structure: the table), or a summary scoped by what it names (structure:
    the outline) — or None when nothing in the documents is in its scope. *hits*/*qvec* are
    the request's own retrieval; *retrieve(text)* and *encode_query(text)* serve the sides of
    a comparison; *previous()*, when the request names nothing and is about the conversation's
    topic ("이 주제 요약해줘"), gives the previous question's (frame, hits, qvec); *whole*: a
    summary of the whole document ("보고서 전체 요약"); *history_docs*: the documents the
    conversation is about, most recent first (what "이 법안 요약해줘" points at)."""
    from dataclasses import replace as _replace

    from .question import ExpectedType

    summarizer = Summarizer(store)
    if frame.expected.kind == "compare":
        sides = comparison_sides(frame)
        if len(sides) == 2:
            rest = _topic_label(frame.text, set(sides))

            def ask_for(side):
                return f"{side}의 {rest}" if rest else side

            aliases = _side_aliases(frame, sides, store)
            got = summarizer.compare(frame, sides, lambda side: retrieve(ask_for(side)),
                                     lambda side: encode_query(ask_for(side)), aliases)
            if got is not None:
                text, cites, table = got
                return text, cites, "comparison", table
    scoped = frame
    names = [c for c in frame.constraints if c.kind in ("country", "place", "name", "topic")]
    if not names and previous is not None and not whole:
        prev = previous()
        if prev is not None:
            prev_frame, hits, qvec = prev
            scoped = _replace(prev_frame, expected=ExpectedType("summary"))
    got = summarizer.summarize(scoped, hits, qvec, history_docs=list(history_docs), whole=whole)
    return None if got is None else (got[0], got[1], "summary", got[3])
