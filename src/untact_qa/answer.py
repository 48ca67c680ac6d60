"""Short extractive answers with ``[n]`` citations, or an honest abstention.

No language model: the answer is a span of the retrieved passages quoted verbatim — one
sentence, or two adjacent sentences of one passage — so every claim is checkable.

1. Candidate spans come from the top passages. Each is scored by the fitted **span**
   model (:mod:`untact_qa.calibration`) over: dense similarity of its sentences, IDF
   share of the question's terms in it, character-trigram overlap with the question, the
   passage's fusion score and rank, and whether it holds the kind of thing the question
   asks for and does not already name (a person for 누구, a date for 언제, a number for
   몇/얼마, a place for 어디, any new term for 무엇/어떤).
2. The span with the highest ``p - length_penalty * chars`` is the answer; a pair of
   sentences therefore has to be worth its length.
3. The fitted **abstain** model decides whether the documents answer the question at
   all, from how good the best span and passage are, how much of the question's
   vocabulary the corpus contains, and whether the question names something (a person,
   a title, a year, a number) that occurs nowhere in the documents — checked on surface
   forms, so "마리 앙투아네트" matches "마리앙투아네트" and '09 matches 2009.
"""

from __future__ import annotations

import math
import re
import time
from functools import lru_cache
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from .calibration import (ABSTAIN_ALL, RANKER_FEATURES, READER_ABSTAIN_FEATURES,
                          READER_SPAN_FEATURES, RERANK_ALL, SPAN_FEATURES, sigmoid)
from .question import CHECKED_TYPES, QuestionFrame, SpanCheck, check_span, frame_question
from .retrieval import query_idf
from .schema import Answer, Citation, Closest, Hit
from .crosslingual import latin_share
from .korean import josa
from .surface import surface_key
from .textrepair import in_comparison_table
from .tokenization import typed_terms

if TYPE_CHECKING:
    from .retrieval import RetrievalResult
    from .stores.base import CorpusStats

NO_ANSWER = "문서에서 근거를 찾지 못했습니다."


@dataclass(frozen=True)
class CorpusView:
    """What a reader may know of the documents besides the passages it is handed."""

    stats: CorpusStats  # document frequencies (IDF, "is this a corpus word")
    mentions: Callable[[str], bool]  # does any document name this (aliases included)?
    aliases: dict[str, list[str]]  # other names the documents use (untact-qa.json)
    lead: Callable[[str], str]  # a document's first passage, where it says what it is about


@runtime_checkable
class Reader(Protocol):
    """Turns a question and the passages retrieved for it into an :class:`Answer`
    (extractive now, generative later). The engine retrieves; the reader only reads."""

    passages: int  # how many of the top passages it reads

    def analyze(self, question: str, terms: list[str], tokens) -> QuestionAnalysis:
        """What the question asks for (its frame) and how well the corpus covers it."""

    def read(self, question: str, searched: str, result: RetrievalResult, analysis: QuestionAnalysis,
             top_k: int, collect: dict | None = None) -> Answer:
        """Answer *searched* (the question as searched: *question* completed from the
        conversation) from *result*, or abstain."""


# What kind of thing the question asks for (Korean question words; English kept for
# cross-lingual questions). Used only as span features, weighed by the fitted model.
_WHO = re.compile(r"누구|누가|누군|인물|사람은|사람의 이름|\bwho\b", re.I)
_WHEN = re.compile(r"언제|몇 ?년|연도|날짜|몇 ?월|며칠|년도|시기|\bwhen\b|what year", re.I)
_WHERE = re.compile(r"어디|어느 (곳|장소|지역|나라|도시)|장소|지역은|나라는|도시는|\bwhere\b", re.I)
_HOW_MANY = re.compile(r"몇|얼마|비율|비중|퍼센트|%|규모|건수|수는|인원|금액|기간은|나이|길이|높이|면적|거리|고도|"
                       r"how (many|much)|what share|percent|rate", re.I)
_WHAT = re.compile(r"무엇|뭐|무슨|어떤|어느|이름|명칭|불리|부르|라고 하|\bwhat\b|\bwhich\b", re.I)
_DATE = re.compile(r"\d+\s*(년|월|일)|\d{4}")
# Question words and fillers that are not content to be found in the documents.
_QUESTION_WORDS = frozenset("무엇 뭐 어디 누구 얼마 몇 언제 왜 어떻 어떤 어느 하 되 있 없 이유 정도 경우 내용 대하 관하 말하 보 나".split())
_NAME_TAGS = frozenset({"NNP", "SL", "SH"})
# Question words Kiwi sometimes tags as proper nouns ("국가 원수격인 누가 …").
_NOT_NAMES = frozenset("누가 누구 무엇 어디 언제 어느".split())


@dataclass
class QuestionAnalysis:
    """What the answerer knows about the question, computed once per ask."""

    text: str
    forms: frozenset  # every Kiwi morpheme of the question (what a span must go beyond)
    idf: dict[str, float]  # content terms → IDF over the corpus's sentences
    corpus_coverage: float  # IDF share of the content terms that occur anywhere in the corpus
    asks: dict[str, bool]
    trigrams: frozenset
    missing: list[str] = field(default_factory=list)  # names the documents never mention
    latin: bool = False
    missing_compounds: list[str] = field(default_factory=list)  # "카카오뱅크" when only 카카오 occurs
    noun_coverage: float = 1.0  # share of the question's nouns that occur in the corpus
    soft_noun_coverage: float = 1.0  # the same, counting words sharing their first two syllables
    nouns: list[str] = field(default_factory=list)  # the question's content nouns, names and numbers
    missing_subject: str = ""  # the name the question opens with ("X의 …"), when the documents lack it
    frame: QuestionFrame | None = None  # expected answer type and constraints (untact_qa.question)


@dataclass
class _Span:
    hit: Hit
    rank: int  # 1-based passage rank
    first: int  # sentence indices inside the passage
    last: int
    rows: list[tuple]  # (doc_id, start, end) of its sentences
    features: list[float] = field(default_factory=list)
    p: float = 0.0
    p0: float = 0.0  # the hand-built span model's probability: which sentences the reader reads
    check: SpanCheck = SpanCheck(True)  # against the question's expected type and constraints

    @property
    def text(self) -> str:
        c = self.hit.chunk
        return c.text[c.sentences[self.first].start - c.start: c.sentences[self.last].end - c.start]


class ExtractiveReader:
    """The default, offline reader (see the module docstring)."""

    passages = 5  # top passages whose sentences are candidate spans
    max_pair_chars = 220  # a two-sentence span longer than this is not offered

    def __init__(self, corpus: CorpusView, calibration, model=None) -> None:
        self.corpus = corpus
        self.calibration = calibration
        # the learned reader (untact_qa.readers) the calibration was fitted with, or None
        self.model = model
        self._variant_index = None

    def _variants(self):
        """Misspelling lookup over the corpus vocabulary (built on first use)."""
        if self._variant_index is None:
            from .surface import VariantIndex

            self._variant_index = VariantIndex(self.corpus.stats.sentence_df)
        return self._variant_index

    # -- public ------------------------------------------------------------------------
    def read(self, question: str, searched: str, result: RetrievalResult, analysis: QuestionAnalysis,
             top_k: int, collect: dict | None = None) -> Answer:
        """Score candidate spans of the top passages, cite the best one, or abstain.

        *collect*, when given, receives the span and abstention features (for
        ``untact-qa calibrate``).
        """
        t = time.perf_counter()
        timings = dict(result.timings_ms)
        qvec = result.query_vector
        frame = analysis.frame
        top = result.hits[: self.passages]
        spans, passage_feats, passage_logits = self._spans(top, result, qvec, analysis)
        cal = self.calibration
        reading = self._score(spans, searched, timings, analysis.latin)
        eligible = eligible_spans(spans, frame)
        if analysis.latin and eligible and not re.search(r"[가-힣]", searched):
            # (a question mixing in Korean words is steered by them: "아마존 last month에 직원 몇
            # 명 hired 했대?" is answered by "…10만 명을 새로 뽑았다", which has no 채용)
            eligible = with_the_rarest_word(eligible, searched, self.corpus.stats)
        chosen = choose_spans(eligible, cal) if eligible else []
        best = chosen[0] if chosen else None
        abst = self._abstain_features(best, spans, passage_feats, passage_logits, result, analysis, reading)
        p_answerable = float(cal.abstain.proba_of(np.array([abst]), ABSTAIN_ALL)[0]) if best else 0.0
        # A question *about* something the documents never mention (its opening name, as in
        # "인도네시아의 음식배달 앱 사용률은?") cannot be answered from them, however similar the
        # rest is: the sentence about 대만 is not an answer. Other missing names are one
        # feature among many for the learned model (they are often spelling variants).
        veto = bool(analysis.missing_subject) and not analysis.latin
        answered = best is not None and not veto and p_answerable >= cal.abstain_threshold
        if answered:
            chosen = preferred_spans(chosen, eligible, frame, cal)
            best = chosen[0]
        if not veto and collect is None:
            # a form's "label : value" line whose label is what was asked ("발의연월일 : 2010.
            # 11. 15." for "언제 발의했어?", "인원 : 310명 이내" for "…인원은?") answers it,
            # however little the span model, fitted on running text, makes of so short a line —
            # and over another sentence it liked better (the bill's 시행일 for "언제 냈어?")
            field = form_line(eligible, spans, analysis, answered) or proposers_count(spans, analysis)
            if field is not None and (not answered or field not in chosen):
                chosen, best, answered = [field], field, True
        near = None if answered else self._near_miss(spans, passage_feats, passage_logits, result, analysis, reading)
        if collect is not None:
            collect.update(spans=spans, eligible=eligible, abstain=abst, analysis=analysis, result=result, veto=veto,
                           near=near, reading=reading, passage_feats=passage_feats, passage_logits=passage_logits)
        kind, reason, closest, phrase = "answer", "", None, None
        if answered:
            # (whether to answer is judged on the span as chosen, what the abstention model was
            # fitted on; what is quoted drops a lead that says nothing of the question)
            chosen = [without_idle_edges(chosen[0], eligible, analysis)] + chosen[1:]
            chosen = with_its_ground(with_its_rule(with_its_proviso(with_its_items(chosen, analysis), analysis), spans),
                                     analysis)
            chosen = with_what_it_points_to(chosen, analysis)
            text, citations = _compose(chosen)
            subject = _page_subject(frame, chosen[0])
            if subject:
                text = f"{subject} — {text}"
            phrase = reading.phrase(chosen[0], text) if reading is not None else None
        elif near is not None:
            kind, reason = "near_miss", _near_miss_reason(frame, near.check, analysis.missing)
            if veto:  # what the question is about is nowhere in the documents: that first
                reason = f"문서 어디에도 ‘{analysis.missing_subject}’에 대한 내용이 없습니다. " + reason
            closest_text, closest_cites = _compose([near])
            closest = Closest(closest_text, tuple(closest_cites), _mismatches(near.check))
            text, citations = _near_miss_text(frame, closest_text, near.check, self.corpus.mentions), []
        else:
            kind = "abstain"
            reason = "질문과 관련된 문단을 찾지 못했습니다." if not spans else _abstain_reason(analysis, bool(eligible))
            text, citations = _abstain_text(searched), []
        timings["answer"] = (time.perf_counter() - t) * 1000
        return Answer(question=question, text=text, citations=tuple(citations), abstained=kind != "answer",
                      reason=reason, searched_query=searched, hits=tuple(result.hits[:top_k]), timings_ms=timings,
                      confidence=p_answerable, missing_terms=tuple(dict.fromkeys(
                          [*analysis.missing, *([analysis.missing_subject] if analysis.missing_subject else [])])),
                      kind=kind, closest=closest,
                      expected_type=frame.expected.kind, span=phrase)

    def _context(self, chunk) -> str:
        """What a candidate sentence is read with: its document's name, heading path and passage."""
        from pathlib import PurePath

        title = PurePath(chunk.doc_id).stem.replace("_", " ")
        return f"{title}\n{chunk.heading}\n{chunk.text}"

    def _score(self, spans: list[_Span], searched: str, timings: dict, latin: bool = False) -> _Reading | None:
        """Every span's probability of holding the answer (``p``): the hand-built span model's
        (``p0``), re-ranked over the learned reader's scores when the calibration has one."""
        if not spans:
            return None
        cal = self.calibration
        for s, p in zip(spans, cal.span.proba(np.array([s.features for s in spans]))):
            s.p = s.p0 = float(p)
        if not (cal.reads and self.model is not None):
            return None
        # the learned reader reads the best candidates with their neighbours; the span model
        # over its scores (and the hand-built features it still needs) re-ranks them
        t_read = time.perf_counter()
        reading = self._read_windows(searched, spans, latin)
        timings["reader"] = (time.perf_counter() - t_read) * 1000
        X = np.array([s.features + reading.span_features(s) for s in spans])
        for s, p in zip(spans, cal.rerank.proba_of(X, RERANK_ALL)):
            s.p = float(p) if reading.covers(s) else 0.0
        return reading

    def _read_windows(self, question: str, spans: list[_Span], latin: bool = False) -> _Reading:
        """What the learned reader says about the best candidates (see :func:`reading_plan`).
        A question in another script than the documents reads more of them: the hand-built
        model, which picks them, has little to go on then (no shared words)."""
        n = READ_SENTENCES_CROSS_LINGUAL if latin else READ_SENTENCES
        windows, keys, _ = reading_plan(spans, self.model.plan, question, n=n, at_least=n if latin else READ_AT_LEAST)
        got = self.model.read(question, windows)
        return _Reading.collect(keys, [w.sentences for w in windows], got)

    def _near_miss(self, spans, pf, pl, result, a: QuestionAnalysis, reading=None) -> _Span | None:
        """The best span that is the right kind of answer but about a neighbouring fact
        (fails only a constraint), if the abstention model would have answered with it."""
        misses = [s for s in spans if s.check.fails_only_constraints]
        if not misses:
            return None
        cand = max(misses, key=lambda s: s.p - span_cost(len(s.text), self.calibration))
        feats = self._abstain_features(cand, spans, pf, pl, result, a, reading)
        p = float(self.calibration.abstain.proba_of(np.array([feats]), ABSTAIN_ALL)[0])
        return cand if p >= self.calibration.abstain_threshold * NEAR_MISS_SHARE else None

    # -- question ----------------------------------------------------------------------
    def analyze(self, question: str, terms: list[str], tokens) -> QuestionAnalysis:
        """Question-level facts: IDF of its terms, what it asks for, names the corpus lacks."""
        stats = self.corpus.stats
        content = [t for t in dict.fromkeys(terms) if t not in _QUESTION_WORDS]
        # the head of an institution is called by the short form in the institution's own
        # article: 감사원장 is "원장" under 감사원 ("②원장은 … 대통령이 임명하고")
        content += [t[-2:] for t in content if len(t) >= 4 and t.endswith("장") and stats.has_term(t[:-1])
                    and stats.has_term(t[-2:]) and t[-2:] not in content]
        idf = query_idf(stats, content)
        total = sum(idf.values()) or 1.0
        known = sum(w for t, w in idf.items() if stats.has_term(t)) / total
        asks = {"who": bool(_WHO.search(question)), "when": bool(_WHEN.search(question)),
                "where": bool(_WHERE.search(question)), "how_many": bool(_HOW_MANY.search(question)),
                "what": bool(_WHAT.search(question))}
        latin = latin_share(question) > 0.5
        nouns = [f for f, c in dict.fromkeys(typed_terms(tokens)) if c in "PNLS" and f not in _QUESTION_WORDS]
        vocab_prefixes = _vocab_prefixes(stats)
        noun_cov = sum(stats.has_term(f) for f in nouns) / len(nouns) if nouns else 1.0
        # a variant of a corpus word counts ("하락기" ~ "하락세"): same first two syllables
        soft_cov = (sum(stats.has_term(f) or (len(f) >= 3 and f[:2] in vocab_prefixes) for f in nouns) / len(nouns)
                    if nouns else 1.0)
        names = [] if latin else question_names(question, tokens)
        found = {n: self.corpus.mentions(n) for n, _ in names}
        # a core inside a phrase the documents do contain is there ("흥신" in "흥신학원")
        missing = [n for n, kind in names if kind == "core" and not found[n]
                   and not any(found[m] and n in m for m, _ in names)]
        compounds = [n for n, kind in names if kind == "compound" and not found[n]]
        toks = list(tokens)
        subject = ""
        opening = toks[0].tag.split("-")[0] if toks else ""
        # a name, or any noun possessor ("토스의 …") the corpus lacks, opening the question
        if missing and len(toks) > 1 and (opening in _NAME_TAGS or (opening == "NNG" and toks[1].tag == "JKG")) \
                and toks[1].tag in ("JKG", "JX", "JKS") and toks[1].start == toks[0].start + toks[0].len:
            first = question[toks[0].start: toks[0].start + toks[0].len]
            # a two-syllable name is often a spelling or segmentation variant: only one with no
            # near spelling in the corpus counts ("토스", not "헤밋" for 해밋)
            if first in missing and (len(first) >= 3 or not re.fullmatch(r"[가-힣]+", first)
                                     or self._variants().variant_of(first) is None):
                subject = first
        elif len(toks) > 1 and opening == "NNG" and toks[1].tag == "JX" and toks[1].form in ("은", "는") \
                and toks[1].start == toks[0].start + toks[0].len:
            # a common noun the question is about ("통신비는 얼마 지원돼?") that no passage uses,
            # nor a near spelling of it: nothing in the documents can be about it
            first = question[toks[0].start: toks[0].start + toks[0].len]
            if re.fullmatch(r"[가-힣]{3,}", first) and not stats.has_term(first):
                subject = first
        frame = frame_question(question, toks, names, self.corpus.aliases, known=self.corpus.mentions,
                               variant=self._variants().variant_of)
        return QuestionAnalysis(question, frozenset(t.form for t in tokens), idf, known, asks,
                                _trigrams(question), missing, latin, compounds, noun_cov, soft_cov, nouns, subject,
                                frame)

    # -- spans -------------------------------------------------------------------------
    def _spans(self, hits: list[Hit], result, qvec: np.ndarray, a: QuestionAnalysis):
        """Single sentences and adjacent pairs of the top passages, with their features."""
        if not hits:
            return [], None, None
        batch = result.batch
        pos = {cid: k for k, cid in enumerate(batch.ids)}
        where = [pos[h.chunk.chunk_id] for h in hits]
        pf, pl = result.features[where], result.logits[where]
        # a sentence is identified by (document, start, end): chunk overlap repeats some
        keys = [[(batch.chunks[k].doc_id, x.start, x.end) for x in batch.sentences[k]] for k in where]
        cos: dict[tuple, float] = {}
        toks: dict[tuple, list[tuple[str, str]]] = {}
        for k, ks in zip(where, keys):
            sims = batch.sentence_vectors[k] @ qvec if len(ks) else []
            for key, rec, sim in zip(ks, batch.sentences[k], sims):
                cos[key] = float(sim)
                toks[key] = list(zip(rec.forms, rec.tags or "N" * len(rec.forms)))
        if not cos:
            return [], pf, pl
        total = sum(a.idf.values()) or 1.0
        forms = {key: {f for f, _ in t} for key, t in toks.items()}
        lex = {key: sum(w for t, w in a.idf.items() if t in forms[key]) / total for key in cos}
        cos_top, lex_top = max(cos.values()), max(lex.values())
        # Passage-local IDF: a question term found in every candidate sentence (the article's
        # subject) says nothing about which sentence answers; one found in a single sentence does.
        n_local = len(cos)
        local_df = {t: sum(1 for key in cos if t in forms[key]) for t in a.idf}
        local_idf = {t: w * math.log(1 + n_local / (1 + local_df[t])) for t, w in a.idf.items()}
        local_total = sum(local_idf.values()) or 1.0
        local = {key: sum(w for t, w in local_idf.items() if t in forms[key]) / local_total for key in cos}
        local_top = max(local.values())
        top_logit = float(pl.max())
        contexts = [self._context(h.chunk) for h in hits]
        spans: list[_Span] = []
        for k, (hit, ks) in enumerate(zip(hits, keys)):
            for i in range(len(ks)):
                for j in (i, i + 1):
                    if j >= len(ks):
                        continue
                    span = _Span(hit, k + 1, i, j, ks[i:j + 1])
                    if j > i and len(span.text) > self.max_pair_chars:
                        continue  # two long sentences are no longer a short answer
                    span.features = self._span_features(span, a, cos, lex, toks, cos_top, lex_top,
                                                        float(pf[k][_TERM_COVERAGE]), float(pl[k]) - top_logit)
                    union = set().union(*(forms[r] for r in span.rows))
                    best_local = max(local[r] for r in span.rows)
                    span.features += [best_local, sum(w for t, w in local_idf.items() if t in union) / local_total,
                                      best_local - local_top]
                    new = [(f, c) for r in span.rows for f, c in toks[r] if f not in a.forms]
                    # the passage as far as the span: a later sentence's year or place is about
                    # what that sentence says, not about this one
                    upto = contexts[k][: len(contexts[k]) - len(hit.chunk.text)
                                       + hit.chunk.sentences[j].end - hit.chunk.start]
                    span.check = check_span(a.frame, span.text, upto, new, heading=hit.chunk.heading,
                                            lead=self.corpus.lead(hit.chunk.doc_id))
                    span.features += [float(span.check.type_ok), span.check.met_share]
                    spans.append(span)
        return spans, pf, pl

    def _span_features(self, s: _Span, a: QuestionAnalysis, cos, lex, toks, cos_top, lex_top,
                       coverage: float, score_rel: float) -> list[float]:
        text = s.text
        tri_each = max(_overlap(a.trigrams, _trigrams(s.hit.chunk.sentences[i].text)) for i in range(s.first, s.last + 1))
        union = set().union(*(f for r in s.rows for f, _ in toks[r]))
        total = sum(a.idf.values()) or 1.0
        new = [(f, c) for r in s.rows for f, c in toks[r] if f not in a.forms]
        names = sum(1 for _, c in new if c == "P")
        numbers = sum(1 for _, c in new if c == "S")
        terms = sum(1 for _, c in new if c in "PNL")
        asks = a.asks
        return [
            _overlap(a.trigrams, _trigrams(text)), tri_each,
            max(cos[r] for r in s.rows), max(cos[r] for r in s.rows) - cos_top, min(cos[r] for r in s.rows),
            max(lex[r] for r in s.rows), max(lex[r] for r in s.rows) - lex_top,
            sum(w for t, w in a.idf.items() if t in union) / total,
            coverage, score_rel, 1.0 / s.rank, math.log(max(5, len(text))), float(s.last > s.first),
            float(asks["who"] and names > 0), float(asks["when"] and bool(_DATE.search(text))),
            float(asks["where"] and names > 0), float(asks["how_many"] and numbers > 0),
            float(asks["what"] and terms > 0), float(min(names, 4)), float(min(numbers, 4)),
        ]

    def _abstain_features(self, best: _Span | None, spans, pf, pl, result, a: QuestionAnalysis,
                          reading: _Reading | None = None) -> list[float]:
        """The abstention model's features (:data:`~untact_qa.calibration.ABSTAIN_ALL`)."""
        if best is None or pf is None:
            return [0.0] * len(ABSTAIN_ALL)
        # How much the best candidates stand out from the next ones (query-performance
        # prediction): an answerable question has a peak, an unanswerable one a plateau.
        top = result.features[:10]
        peaks = []
        for col in _PEAK_COLUMNS:
            v = np.sort(top[:, col])[::-1]
            peaks.append(float(v[0] - v[1:].mean()) if len(v) > 1 else 0.0)
        # IDF share of the question's nouns found in the top three passages / the top one:
        # a question about something else finds its generic words, not its specific ones
        weights = {n: a.idf.get(n, max(a.idf.values(), default=1.0)) for n in a.nouns}
        total = sum(weights.values())
        tops = [surface_key(h.chunk.embedding_text()) for h in result.hits[:3]]  # the hits' own text

        def share(texts):
            return sum(w for n, w in weights.items() if any(surface_key(n) in t for t in texts)) / total if total else 1.0

        # How much of the candidates' probability the checks (expected type, constraints)
        # left standing: a question whose best spans all fail them is rarely answered
        checked = [s for s in spans if s.check.passes]
        top_p = max(s.p for s in spans)
        return [best.p, sigmoid(float(result.logits.max())), result.dense_max, float(max(s.features[_SENT_COS] for s in spans)),
                a.corpus_coverage, float(result.features[0][_TERM_COVERAGE]), float(len(a.missing)), float(len(a.missing_compounds)),
                float(a.latin), best.features[0], *peaks, a.noun_coverage, a.soft_noun_coverage,
                share(tops), share(tops[:1]), len(checked) / len(spans), top_p - best.p,
                *(reading.abstain_features(best) if reading is not None else [0.0] * len(READER_ABSTAIN_FEATURES))]


@dataclass
class _Reading:
    """The learned reader's scores for one question: a logit per sentence read (by
    :func:`sentence_key`; the mean where a sentence was read in two windows), the best
    answer phrase in each, and the "nothing answers" logit (the mean over windows)."""

    logits: dict[tuple, float]
    phrases: dict[tuple, tuple[str, int, int]]  # sentence text, start, end of its answer phrase
    null: float
    lse: float = 0.0  # log-sum-exp over every sentence read and the null
    top: float = 0.0
    second: float = 0.0

    @classmethod
    def collect(cls, keys: list[list[tuple]], sentences: list[tuple[str, ...]], readings) -> _Reading:
        """From the windows' keys and texts and the model's :class:`~untact_qa.readers.WindowReading` s."""
        sums: dict[tuple, list[float]] = {}
        best_phrase: dict[tuple, tuple[float, tuple[str, int, int]]] = {}
        nulls = []
        for ks, texts, r in zip(keys, sentences, readings):
            nulls.append(r.null_logit)
            for k, (key, text) in enumerate(zip(ks, texts)):
                if r.sentence_logits[k] <= -1e3:
                    continue  # cut from the window (too long): not read
                logit = float(r.sentence_logits[k])
                sums.setdefault(key, []).append(logit)
                if r.spans and r.spans[k][1] > r.spans[k][0] and logit > best_phrase.get(key, (-1e9,))[0]:
                    best_phrase[key] = (logit, (text, r.spans[k][0], r.spans[k][1]))
        logits = {k: float(np.mean(v)) for k, v in sums.items()}
        null = float(np.mean(nulls)) if nulls else 0.0
        values = sorted(logits.values(), reverse=True)
        allv = np.array(values + [null])
        lse = float(allv.max() + np.log(np.exp(allv - allv.max()).sum()))
        top = values[0] if values else null
        second = values[1] if len(values) > 1 else null
        return cls(logits, {k: v[1] for k, v in best_phrase.items()}, null, lse, top, second)

    def covers(self, span: _Span) -> bool:
        """Was every sentence of *span* read?"""
        return all(r in self.logits for r in span.rows)

    def _best_row(self, span: _Span):
        return max(span.rows, key=lambda r: self.logits.get(r, -1e9))

    def span_features(self, span: _Span) -> list[float]:
        """:data:`~untact_qa.calibration.READER_SPAN_FEATURES` of *span* (zeros when not read)."""
        if not self.covers(span):
            return [0.0] * len(READER_SPAN_FEATURES)
        ls = [self.logits[r] for r in span.rows]
        hi = max(ls)
        return [hi, min(ls), hi - self.top, math.exp(hi - self.lse), hi - self.null]

    def abstain_features(self, best: _Span) -> list[float]:
        """:data:`~untact_qa.calibration.READER_ABSTAIN_FEATURES` for the chosen span *best*."""
        hi = max((self.logits.get(r, self.null) for r in best.rows), default=self.null)
        return [math.exp(self.top - self.lse), math.exp(self.null - self.lse), self.top - self.second,
                math.exp(hi - self.lse), hi - self.null]

    def phrase(self, span: _Span, text: str) -> tuple[int, int] | None:
        """Where the answer phrase of *span*'s best sentence is in the answer *text*."""
        got = self.phrases.get(self._best_row(span))
        if got is None:
            return None
        from .readers.inputs import tidy_span

        sentence, a, b = got
        at = text.find(sentence)
        if at < 0:
            return None
        a, b = tidy_span(sentence, a, b)  # the phrase itself: no outer spaces, quotes or particles
        return (at + a, at + b) if b > a else None


# Feature columns read by name (the fitted models' order is in untact_qa.calibration).
_TERM_COVERAGE = RANKER_FEATURES.index("term_coverage")
_PEAK_COLUMNS = tuple(RANKER_FEATURES.index(f) for f in ("dense_cos", "bm25_rel", "sent_cos_max"))
_SENT_COS = SPAN_FEATURES.index("sent_cos_max")

_PREFIXES: dict[int, tuple] = {}


def _vocab_prefixes(stats) -> frozenset:
    """First two syllables of every corpus term (cached per stats object)."""
    got = _PREFIXES.get(id(stats))
    if got is None or got[0] is not stats:
        got = (stats, frozenset(t[:2] for t in stats.sentence_df if len(t) >= 2))
        _PREFIXES.clear()
        _PREFIXES[id(stats)] = got
    return got[1]


def question_names(question: str, tokens) -> list[tuple[str, str]]:
    """Things a question names, as ``(surface, kind)``.

    ``core``: a proper noun, foreign word or year/number, as Kiwi segments it — with a
    following proper noun across one space ("커크 헤밋"). A question opening with "X의"
    names X even when Kiwi does not know X is a name (토스의 …).
    ``compound``: a name glued to nouns inside one word (카카오뱅크 = 카카오 + 뱅크); the
    documents may mention the core but not the compound.
    """
    out: list[tuple[str, str]] = []
    toks = list(tokens)
    i = 0
    while i < len(toks):
        t = toks[i]
        tag = t.tag.split("-")[0]
        if tag in _NAME_TAGS or (i == 0 and tag == "NNG" and len(toks) > 1 and toks[1].tag == "JKG"):
            j = i
            while j + 1 < len(toks):
                nxt, ntag = toks[j + 1], toks[j + 1].tag.split("-")[0]
                glued = nxt.start == toks[j].start + toks[j].len
                spaced = nxt.start == toks[j].start + toks[j].len + 1
                if (glued and ntag in ("NNP", "NNG", "SL", "SH", "SN")) or (spaced and ntag == "NNP" and tag == "NNP"):
                    j += 1
                else:
                    break
            core = question[t.start: t.start + t.len]
            if core in _NOT_NAMES:
                i += 1
                continue
            if len(surface_key(core)) >= 2 or tag == "SH":
                out.append((core, "core"))
            whole = question[t.start: toks[j].start + toks[j].len]
            if j > i and whole != core:
                kinds = {x.tag.split("-")[0] for x in toks[i + 1: j + 1]}
                out.append((whole, "core" if kinds <= {"NNP"} else "compound"))
            i = j + 1
            continue
        if tag == "SN" and re.fullmatch(r"(19|20)\d\d|\d{1,3}(,\d{3})+|\d{4,}", t.form):
            out.append((t.form, "core"))
        i += 1
    return list(dict.fromkeys(out))


# -- text helpers --------------------------------------------------------------------------------
@lru_cache(maxsize=1 << 14)  # a candidate sentence is compared once per span it is part of, on every question
def _trigrams(text: str) -> frozenset:
    s = "".join(text.split())
    return frozenset(s[i:i + 3] for i in range(len(s) - 2))


def _overlap(q: frozenset, s: frozenset) -> float:
    return len(q & s) / max(1, len(q))


def span_cost(chars: int, cal) -> float:
    """What a span's length costs: a little per character, much more past LONG_ANSWER
    characters (where an answer stops being short)."""
    return cal.length_penalty * chars + cal.long_penalty * max(0, chars - LONG_ANSWER)


LONG_ANSWER = 150


def eligible_spans(spans: list[_Span], frame: QuestionFrame) -> list[_Span]:
    """The spans that may be the answer.

    Only a span that holds the kind of thing asked for and meets every constraint of the
    question (its years, places, names, measure) may be the answer. A sentence the span
    model gives almost no chance of holding the answer is not one, however well it passes
    the checks (a report sentence that merely holds a date, when the sentence about the
    question fails the date check)."""
    # a heading answers only a question for a value it may hold (a bill's title line names
    # its proposer: "누가 대표발의했나?"), never one that asks what the passage says ("임무는 뭐야?")
    value = frame.expected.kind in _VALUE_TYPES
    eligible = [s for s in spans if s.check.passes and s.p >= MIN_SPAN_P and (value or not _a_heading(s))
                and not in_comparison_table(s.hit.chunk.heading_path)]
    if frame.expected.kind == "date":
        # a date beats a vague time ("1988년 2월 25일" over "공포 당시"), when there is one
        dated = [s for s in eligible if _EXPLICIT_DATE.search(s.text) or _DEADLINE.search(s.text)]
        eligible = dated or eligible
    if frame.expected.kind == "reason":
        # "대법원장만 중임을 못 하게 막아 둔 이유가 무엇입니까?": the article "대법원장의 임기는 6년으로
        # 하며, 중임할 수 없다" prescribes and gives no reason — a statute's articles state none
        # (a bill says why in its 제안이유) — and the honest answer is that the documents do not say
        from .explain import states_a_cause

        eligible = [s for s in eligible if not _in_article(s) or states_a_cause(s.text)]
        # "지방공무원법 개정안은 왜 낸 거야?": a bill says why in its 제안이유, not in its title
        # line, its amending formula or its cost estimate (which quoted "…일부를 다음과 같이
        # 개정한다" for a bill whose cover page and 제안이유 share a passage)
        eligible = [s for s in eligible if _in_proposal_reasons(s)] or eligible
    bound = _ASKED_BOUND.search(frame.text) if frame.expected.kind in _VALUE_TYPES else None
    if bound is not None:
        # "며칠 이상으로 바꿔요?" asks for a lower bound: "50일 이상으로 연장함" states one, a
        # sentence on "50일 미만으로 단축" (the exception) states another, whatever it shares
        eligible = [s for s in eligible if _bounded(s.text, bound.group(1))] or eligible
    return eligible


def asked_as_stated(eligible: list[_Span], frame: QuestionFrame) -> list[_Span] | None:
    """Of *eligible*, those stating the value the way it was asked, when only some do: an end
    or a start ("언제까지 있는 거예요?": "…2011년 12월 31일까지 연장함", not the date the stay
    "종료될 예정" before the extension), the site within a place the question names, the act an
    agent noun names ("대표발의자"), the act a may-question asks of ("정당에 가입할 수 있어?": the
    sentence with 가입), a change in the asked direction ("며칠로 늘리자는 거야?":
    "…50일 이상으로 연장함", not the sentence on when it may be "단축"). None when the question
    asks none of these, or every span (or none) states it so. Whether to answer is judged before
    this: the sentence stating it is quoted, not one more likely about something else."""
    keep = eligible
    edge = _ASKED_EDGE.search(frame.text) if frame.expected.kind == "date" else None
    if edge is not None:
        keep = [s for s in keep if _dated_edge(s.text, edge.group(1))]
    if frame.expected.kind == "place" and any(c.kind in ("country", "place") for c in frame.constraints):
        # "UAE에 가는 부대는 어디에 주둔해?": every sentence of the bill names UAE, the place
        # asked within; the one stating where in it ("파견지역은 … 알아인 소재 특수전학교")
        keep = [s for s in keep if _LOCATION.search(s.text)]
    if frame.expected.kind in ("person", "organisation"):
        # "대표발의자가 누구야?": the doer of the act the agent noun names is said where the act
        # is ("…(안상수의원 대표발의)"), not in a sentence about what the bill does. (Not for
        # every verb: "누가 작곡했어?" is often answered in other words than the question's)
        acts = _asked_acts(frame.text)
        if acts:
            keep = [s for s in keep if any(a in s.text for a in acts)]
    act = _ASKED_PERMISSION.search(frame.text) if frame.expected.kind == "other" else None
    if act is not None:
        # "중앙선거관리위원회 위원은 정당에 가입할 수 있어?": whether one may is said where the act
        # is ("④위원은 정당에 가입하거나 정치에 관여할 수 없다"), not in the article's sentence that
        # names the body and 정당사무 more often
        keep = [s for s in keep if act.group(1) in s.text]
    act = _ASKED_WHEN.search(frame.text) if frame.expected.kind == "date" and edge is None else None
    if act is not None:
        # "캐나다 태평양 철도는 언제 건설됐어?": the date is the one stated with 건설 ("…1881년과
        # 1885년사이에 … 건설되었으며"), not "1975년까지 캐나다 태평양 철도회사는 … 회사였다"
        # nor "…10년안에 건설할 것을 제안했다" (the act done, not proposed)
        # ("…1926년 12월 25일에 즉위하여 …": a joined clause states the act done too; "즉위한
        # 직후 몇 년 동안 … 1927년 1월 18일에 다시 열렸다" dates what followed it)
        # ("촬영은 2015년 8월부터 … 이뤄졌다": the act as a noun with a verb of taking place)
        done = re.compile(re.escape(act.group(1)) + r"\s*(?:되었|됐|되어|되며|되고|하였|했|하여|하며|하고|됨|함|"
                          r"(?:된|한)(?!\s*(?:직후|직전|후|뒤|이후|다음|전|무렵|때|이래))|"
                          r"(?:은|는|이|가)\s[^.]{0,40}?(?:이뤄졌|이루어졌|진행됐|진행되었|실시됐|실시되었|열렸))")
        keep = [s for s in keep if done.search(s.text)]
        # …and of those, the ones doing it to what was asked of ("…원진재단을 설립하였다", not
        # "원진재단은 … 1999년 6월 구리시에 설립한 원진노동자건강센터가 있다"), when some do
        subjects = [c.value for c in frame.constraints if c.kind in ("subject", "name") and len(c.value) >= 2]
        to_it = [s for s in keep if any(re.search(re.escape(x) + r"[을를이가은는]?\s*" + done.pattern, s.text)
                                        for x in subjects)]
        keep = to_it or keep
    event = _ASKED_WHEN_OF.search(frame.text) if frame.expected.kind == "date" and edge is None and act is None else None
    if event is not None:
        # "라라랜드 촬영은 언제 했어?": the date said with 촬영 ("촬영은 2015년 8월부터 …"), not the
        # lead's ("…2016년 공개 된 … 영화이다") that names the film
        keep = [s for s in keep if event.group(1) in s.text]
    if frame.expected.kind == "place" and _ASKS_NATIONALITY.search(frame.text):
        # "줌은 어느 나라 회사야?": a company's country is said before what it is ("'줌'은 미국
        # 기업 줌비디오커뮤니케이션의 …"), not by a country in the same sentence ("…다국적
        # 기업들이 … 줌과 같은 … 일본 문화 컨설팅의 …")
        names = [c.value for c in frame.constraints if c.kind in ("name", "subject") and c.value]
        keep = [s for s in keep if _states_nationality(s.text, names)]
    keep = _as_the_bill_states(keep, frame)
    if _ASKS_OUTLOOK.search(frame.text) and frame.expected.kind not in _FIGURE_TYPES:
        # "앞으로는 어떻게 될 것 같아?": what the documents expect ("…투자가 증가할 것으로
        # 전망"), not what has happened ("이용자가 4배 증가한 500만 명을 기록")
        keep = [s for s in keep if _OUTLOOK.search(s.text)]
    if frame.expected.kind in _FIGURE_TYPES:
        for asked, other in ((_UP, _DOWN), (_DOWN, _UP)):
            if asked.search(frame.text) and not other.search(frame.text):
                # (a sentence saying both is kept: "…을 단축하던 것을 … 연장함")
                keep = [s for s in keep if asked.search(s.text) or not other.search(s.text)]
    return keep if keep and len(keep) < len(eligible) else None


def _as_the_bill_states(keep: list[_Span], frame: QuestionFrame) -> list[_Span]:
    """Of *keep*, those stating what a bill changes the way it was asked (see
    :func:`asked_as_stated`); *keep* when the question asks no such thing."""
    if frame.expected.kind == "other" and _ASKS_BILL_CHANGE.search(frame.text):
        # "고등교육법 개정안은 뭘 바꾸는 거야?": what a bill does is said as its provision
        # ("…학위의 종류를 학사학위로 하도록 함(안 제50조의3 신설)"), not by its title line
        return _of_the_bill_named([s for s in keep if _STATES_PROVISION.search(s.text)], frame.text)
    if frame.expected.kind not in _FIGURE_TYPES and _ASKS_HOW_BILL_CHANGES.search(frame.text):
        # "결혼중개업법 개정안 처벌은 어떻게 강화돼?": how is said by the provision, old and new
        # ("‘3년이하 징역 …’을 ‘5년 이하 징역 …’으로 … 강화함(안 제26조)"), not by the bill's
        # purpose that names the same word ("…처벌규정을 보다 강화하고자 함")
        asked = _ASKED_HOW.search(frame.text)
        asked = asked.group(1) if asked else "내용"
        # (a named matter, "등록기준을 어떻게 바꿔?", is answered by a sentence naming it, which
        # may be the purpose's; the provisions themselves, 처벌·조문, by any provision)
        return _of_the_bill_named([s for s in keep if _STATES_FROM_TO.search(s.text)
                                   and (asked in _PROVISION_WORDS or asked in s.text)], frame.text)
    return keep


def _of_the_bill_named(spans: list[_Span], question: str) -> list[_Span]:
    """Of *spans*, those of the bill whose title names whole the statute *question* names
    ("고등교육법 개정안은 뭘 바꾸는 거야?": 고등교육법 일부개정법률안, not the 교육공무원법 bill's
    cost note, which a statute's name read word by word lets in), when any is; else *spans*."""
    from .question import _NOT_STATUTES, _STATUTE

    names = [surface_key(m.group(1)) for m in _STATUTE.finditer(question) if m.group(1) not in _NOT_STATUTES]
    own = [s for s in spans if any(n and n in surface_key((s.hit.chunk.heading_path or ("",))[0]) for n in names)]
    return own or spans


# the country a company (or its product) is of, asked; and a country said as one's ("미국 기업",
# "대만계 스타트업")
_ASKS_NATIONALITY = re.compile(r"어느\s*나라\s*(?:회사|기업|업체|제품|서비스|브랜드|거|것)|국적")


def _states_nationality(text: str, names: list[str]) -> bool:
    """Does *text* say the country of one of *names* as what it is ("'줌'은 미국 기업 …", "Snapask와
    같은 외국계 스타트업"): a country then 기업/회사/…, with the name close before it?"""
    from .question import _place_regex

    for m in _place_regex("country").finditer(text):
        if re.match(r"\s*(?:계\s*)?(?:기업|회사|업체|스타트업|브랜드)", text[m.end():]) and \
                any(n in text[max(0, m.start() - len(n) - 12): m.start()] for n in names):
            return True
    return False


# what a bill changes, asked ("개정안은 뭘 바꾸는 거야?", "법안은 무엇을 고치나요?"), and a
# bill's sentence stating a provision ("…하도록 함(안 제50조의3 신설)", "…으로 상향조정함")
_ASKS_BILL_CHANGE = re.compile(r"(?:개정안|법안|법률안|개정법률안)\S*\s.*(?:뭘|무엇을|뭐를|뭐가|무엇이|어떤\s*(?:걸|것을|것이|내용을?))\s*"
                               r"(?:바꾸|바꿔|바뀌|바꾼|고치|고쳐|개정|달라지|달라져)")
_STATES_PROVISION = re.compile(r"(?:하도록|하고자|하려는|으로|로|토록)\s*함|\(안\s*제\s*\d+조|[가-힣]+함\s*\(안|"
                               r"(?:조정|신설|개정|변경|확대|강화|상향|완화)함")
_ASKS_HOW_BILL_CHANGES = re.compile(r"(?:개정안|법안|법률안)\S*\s.*어떻게\s*(?:바뀌|바꾸|바꿔|바뀐|달라지|달라져|강화|완화|변경|조정)")
_ASKED_HOW = re.compile(r"([가-힣]{2,}?)(?:은|는|이|가|을|를)\s*어떻게")
# what a bill's provisions are themselves: asked how they change, any provision answers
_PROVISION_WORDS = {"처벌", "벌칙", "벌금", "형량", "조문", "조항", "규정", "내용"}
_STATES_FROM_TO = re.compile(r"\(안\s*제\s*\d+조|[을를]\s*[‘'「\"“][^’'」\"”]{1,60}[’'」\"”]\s*(?:으로|로)|"
                             r"에서\s*\S{1,20}\s*(?:으로|로)\s*(?:상향|하향|조정|연장|단축|강화|완화|변경|확대|축소)")
# a yes/no question whether an act may be done: "가입할 수 있어?", "체포될 수 있나요?", "해임해도 돼?"
_ASKED_PERMISSION = re.compile(r"([가-힣]{2,})(?:할|될|받을|시킬|해도|돼도|되어도)\s*(?:수\s*(?:있|없)|(?:돼|되|괜찮))")


# a question about the future, and a sentence stating an expectation of it
_ASKS_OUTLOOK = re.compile(r"앞으로(?:는)?\s*(?:어떻|어떨|어찌)|장기적으로|향후\s*(?:어떻|어떨|전망)|전망(?:은|이|돼|되|이야|이에요|해)|"
                           r"(?:어떻게|어떨)\s*(?:될|것)\s*(?:것\s*)?같")
_OUTLOOK = re.compile(r"전망|예상|예측|것으로\s*(?:보|기대|관측)|(?:될|할|늘어날|증가할|성장할|확대될|커질)\s*것|가능성|기대(?:됨|된다|되)|"
                      r"계기가\s*될|예정")


# a date asked of an act by its noun: "언제 건설됐어?", "언제 설립되었나요?", "언제 발표했대?"
_ASKED_WHEN = re.compile(r"언제\s*([가-힣]{2,})(?:됐|되었|되|했|하였|한|된)")
# an event asked when of as the topic: "촬영은 언제 했어?", "결혼은 언제 했대?"
_ASKED_WHEN_OF = re.compile(r"(?<![가-힣])([가-힣]{2,})(?:은|는)\s*언제\s*(?:했|하였|한|됐|되었|된|있었|이뤄졌|열렸|시작)")


def _asked_acts(question: str) -> set[str]:
    """The acts a who-question names by an agent noun ("대표발의자" → 발의, "작성자" → 작성), or
    by the role or maker it asks for ("주연은?" → 출연, 주연, 역할; "제작사는?" → 제작)."""
    from .tokenization import kiwi

    out = {w for role, words in _ROLE_ACTS.items() if re.search(role + r"(?:은|는|이|가)?\s*(?:누구|어디|[?？]|$)", question)
           for w in words}
    if "자" not in question:
        return out  # (no agent noun: no need to read the question again)
    toks = kiwi().tokenize(question)
    for i, t in enumerate(toks[1:], 1):
        if t.tag == "XSN" and t.form == "자":
            noun = toks[i - 1]
            if noun.tag == "NNG" and len(noun.form) >= 2:
                out.add(noun.form)
    return out


# what a role or a maker asked for does: "라라랜드의 주연은?" is answered where the actors "…역할을
# 맡아 출연한다", not by the film's lead sentence, which names the film and a country
_ROLE_ACTS = {"주연": ("출연", "주연", "역할"), "주연배우": ("출연", "주연", "역할"), "제작사": ("제작",),
              "배급사": ("배급",), "출판사": ("출판", "펴냈", "발행"), "개발사": ("개발",), "제조사": ("제조", "생산")}
# a sentence stating where something is: its area, seat or site
_LOCATION = re.compile(r"지역은|지역이|지역:|소재|위치(?:한|하며|하고|해|함|는)|주둔지|장소는|본사는|본부는")
# a change asked and stated in one direction: raised, extended… / lowered, shortened…
_UP = re.compile(r"늘리|늘려|늘린|늘어|늘었|연장|확대|상향|올리|올려|올린|인상|증가|높이|높여")
_DOWN = re.compile(r"줄이|줄여|줄인|줄어|줄었|단축|축소|하향|내리|내려|내린|인하|감소|낮추|낮춰")
# a date asked as an end or a start: "언제까지", "언제부터"
_ASKED_EDGE = re.compile(r"언제\s*(까지|부터)")


def _dated_edge(text: str, edge: str) -> bool:
    """Does *text* state a date with *edge* ("12월 31일까지", "’11년부터" for 까지 / 부터)?"""
    return re.search(r"(?:\d\s*(?:년|월|일|年|月|日)|[’']\d{2})\s*" + edge, text) is not None


# (in an article, only "목적|때문|이유|원인|위하여" as the cause — not "…을 위한 헌법개정", "…에
# 따라" — refused one law test question more, answered by an article: every cause word counts)


def _in_article(span: _Span) -> bool:
    """Is *span* in a statute's article (its section is "제N조…")?"""
    from .textrepair import opens_article

    path = span.hit.chunk.heading_path
    return bool(path) and opens_article(path[-1])


def preferred_spans(chosen: list[_Span], eligible: list[_Span], frame: QuestionFrame, cal) -> list[_Span]:
    """*chosen* (of a question judged answered) chosen again among the spans that state the
    value as asked (:func:`asked_as_stated`), outside a statute's 부칙 (:func:`outside_addenda`)
    and naming the kind of market asked about (:func:`naming_its_kind`), each when it applies."""
    pool = eligible
    stated = asked_as_stated(pool, frame)
    if stated is not None:
        pool = stated
        if chosen[0] not in stated:
            chosen = choose_spans(stated, cal)
    body = outside_addenda(pool, frame)
    if body is not None:
        pool = body
        if any(c not in body for c in chosen):
            chosen = choose_spans(body, cal)  # (nor is a 부칙 sentence quoted as the hedge)
    kind = naming_its_kind(pool, frame, chosen[0])
    if kind is not None and chosen[0] not in kind:
        chosen = choose_spans(kind, cal)
    return chosen


def naming_its_kind(eligible: list[_Span], frame: QuestionFrame, best: _Span) -> list[_Span] | None:
    """Of *eligible*, those naming the kind of market (industry, field) the question asks
    about, when *best* names another of that head and only some do: "중국 온라인 교육 시장은
    지난 5년간 매년 얼마나 성장했어?" is answered by "(온라인 교육) 중국의 온라인 교육 시장규모는
    … 매년 20% 이상", not by "(원격진료) 지난 5년간 매년 30%~70%의 … 원격진료 시장은 …",
    however many other words that one shares; else None."""
    from .followup import KIND_HEADS
    from .question import places_in

    ends = r")(?=(?:은|는|이|가|을|를|의|도|에|에서|과|와)?(?:[^가-힣]|$))"
    kinds, heads = [], set()
    for m in re.finditer(r"((?:[가-힣A-Za-z0-9]+\s+){0,2}[가-힣A-Za-z0-9]+?)\s*(" + "|".join(KIND_HEADS) + ends,
                         frame.text):
        words = [w for w in m.group(1).split() if not places_in("country", w) and w not in KIND_HEADS]
        if words:
            kinds.append("".join(words))
            heads.add(m.group(2))
    if not kinds:
        return None
    flat = re.sub(r"\s+", "", best.text)
    other = [m.group(1) for m in re.finditer(r"(?<![가-힣])([가-힣A-Za-z]{2,})\s+(" + "|".join(heads) + ends, best.text)
             if not places_in("country", m.group(1))]
    if any(k in flat for k in kinds) or not any(o not in "".join(kinds) for o in other):
        return None  # it names the kind asked, or no other kind of the same head
    named = [s for s in eligible if any(k in re.sub(r"\s+", "", s.text) for k in kinds)]
    return named if named and len(named) < len(eligible) else None


def outside_addenda(eligible: list[_Span], frame: QuestionFrame) -> list[_Span] | None:
    """Of *eligible*, those outside a statute's 부칙, when the question asks nothing a 부칙 is
    for and some are: "감사원장은 누가 임명해?" is answered by the article on 감사원 (②원장은 …
    대통령이 임명하고), not by the 부칙 that names 감사원장 only to say who serves until a
    successor is appointed; else None."""
    if _ASKS_TRANSITION.search(frame.text):
        return None
    body = [s for s in eligible if not _in_addendum(s)]
    return body if body and len(body) < len(eligible) else None


def _in_addendum(span: _Span) -> bool:
    """Is *span* in a statute's or bill's 부칙 (its addenda: when it takes effect, what holds
    meanwhile)?"""
    return any(p.strip().startswith("부칙") for p in span.hit.chunk.heading_path)


# what a statute's 부칙 is for: when it takes effect, to what it applies, what holds meanwhile
_ASKS_TRANSITION = re.compile(r"시행|경과|적용|종전|당시|부칙|효력|발효|언제부터|기존|이미|재학|재직|후임")


# a value asked with its bound: "며칠 이상", "몇 세 이상", "몇 명 이내", "얼마 이하"
_ASKED_BOUND = re.compile(r"(?:며칠|몇\s*[가-힣]{0,2}|얼마)\s*(이상|이하|이내|미만|초과)")


HEADING_SCRAP = 12  # characters: a line this short beside a heading ("의안", "번 호") says nothing of its own
_VALUE_TYPES = frozenset({"person", "organisation", "place", "date", "period", "count", "amount", "rate", "number",
                          "choice"})


def _in_proposal_reasons(span: _Span) -> bool:
    """Is *span* in a bill's 제안이유: its section, or after a "제안이유 …" line of its passage
    and before the bill's text (its header "법률 제 호", title or amending formula)? Never the
    part's own heading line alone ("제안이유 및 주요내용"), which says nothing."""
    from .textrepair import bill_part

    c = span.hit.chunk
    lines = [c.sentences[i].text for i in range(span.first, span.last + 1)]
    if bill_part(lines[-1].strip()):
        return False
    if (bill_part(lines[0].strip()) or "").startswith("제안이유"):
        return True  # (the part's heading line with its first sentence: the span a question naming it finds)
    if any((bill_part(h) or "").startswith("제안이유") for h in c.heading_path):
        return True
    inside = False
    for i in range(span.first):
        for line in c.sentences[i].text.splitlines():
            if (bill_part(line.strip()) or "").startswith("제안이유"):
                inside = True
            elif _PROPOSAL_ENDS.search(line):
                inside = False
    return inside and not any(_PROPOSAL_ENDS.search(line) for t in lines for line in t.splitlines())


# where a bill's 제안이유 ends: its text's header ("법률 제 호"), title or amending formula
_PROPOSAL_ENDS = re.compile(r"다음과\s*같이\s*(?:개정|제정)한다|법률\s*제\s*호|법률안\s*$")


def _a_heading(span: _Span) -> bool:
    """Is *span* a heading of its own passage (a bill's title line, a page's first line), alone
    or with a scrap of a line ("…파견 동의안 의안")? It names what the passage is about; it
    answers nothing the passage does not say below it. (A page's title beside the sentence
    that answers is no such span: it says whose page the answer is on.)"""
    c = span.hit.chunk
    heads = {re.sub(r"\s+", "", h) for h in c.heading_path}
    texts = [re.sub(r"\s+", "", c.sentences[i].text) for i in range(span.first, span.last + 1)]
    return any(t in heads for t in texts) and all(t in heads or len(t) < HEADING_SCRAP for t in texts)


_FIELD_LINE = re.compile(r"^\s*(?:[○●•·▪◦-]\s*)?(?:[가-하]\.\s*)?([가-힣A-Za-z][가-힣A-Za-z ()·]{0,20}?)\s*:\s*\S")
# label words that say only the kind of value (a date), which the question asks with 언제
_DATE_LABELS = {"연월일", "일자", "날짜", "일시"}


def form_line(eligible: list[_Span], spans: list[_Span], analysis: QuestionAnalysis, answered: bool) -> _Span | None:
    """The form line that answers (:func:`_field_answer`): of the *eligible* spans; else, to
    rescue a refusal or a date stated for another act, of every span that passes the checks,
    below the span model's floor for running text (MIN_SPAN_P): "발의연월일 : 2010. 11. 15."
    (.02) for "…은 언제 발의됐어?", "언제 냈어?" (not the bill's 시행일). Not over another
    answer: a table row's "응답 비율: 61.3%" is no better than the "…19%" row beside it."""
    field = _field_answer(eligible, analysis, override=answered)
    dated = analysis.frame is not None and analysis.frame.expected.kind == "date"
    if field is None and (not answered or dated):
        field = _field_answer([s for s in spans if s.check.passes], analysis, override=answered)
    return field


def _field_answer(eligible: list[_Span], analysis: QuestionAnalysis, override: bool = False) -> _Span | None:
    """The single-line ``label : value`` span among *eligible* (those that hold the expected
    type and every constraint) whose label the question asks for: every word of the label is
    one of the question's (a date label's 연월일 aside, when a date is asked), the most probable
    such span; else None. To *override* a sentence the model chose, only for a date or a typed
    value the line holds (a bill's 발의연월일 beside its 시행일, a table row's 개방 목표(종)): a
    label may also be a word an untyped question only carried from the conversation ("소말리아
    인원 What's the 2011 budget for it?")."""
    from .tokenization import content_words

    asked = set(content_words(analysis.text))
    # "발의일은?", "제출일" name the label without its date word; "언제 냈어?" asks when a bill
    # was put forward (발의) or submitted (제출)
    day_of = set(re.findall(r"(?<![가-힣])([가-힣]{2,})일(?=은|는|이|가|을|를|도|\s|$|[?？])", analysis.text))
    asked |= day_of
    if re.search(r"(?<![가-힣])(냈|낸|내었|내놨|내놓)", analysis.text):
        asked |= {"발의", "제출"}
    dated = bool(day_of) or (analysis.frame is not None and analysis.frame.expected.kind == "date")
    if override and not dated and (analysis.frame is None or analysis.frame.expected.kind not in CHECKED_TYPES):
        return None
    best = None
    for span in eligible:
        m = _FIELD_LINE.match(span.text) if span.first == span.last else None
        if m is None:
            continue
        label = set(content_words(m.group(1)))
        if dated:
            label -= _DATE_LABELS
        elif label & _DATE_LABELS:
            continue
        if label and label <= asked and (best is None or span.p > best.p):
            best = span
    return best


# "발의자는 몇 명이야?", "이름 올린 의원은 총 몇 명?": a bill's cover ends its list of proposers
# with their count ("김학송 의원(10인)"), on a line the span model, fitted on running text, makes
# little of
_ASKS_PROPOSERS = re.compile(r"발의자|발의한|발의\s*의원|공동\s*발의|발의에\s*참여|이름\s*올린|명이\s*발의|의원\s*수")
_PROPOSER_COUNT = re.compile(r"의원\s*[(（]\s*\d+\s*인\s*[)）]")


def proposers_count(spans: list[_Span], analysis: QuestionAnalysis) -> _Span | None:
    """For a question on how many members proposed a bill: the cover line that ends the list
    of proposers with their count, of the best-ranked passage that has one and meets every
    constraint (the statute named), the line alone when it is a span of its own; else None."""
    frame = analysis.frame
    if frame is None or frame.expected.kind != "count" or not _ASKS_PROPOSERS.search(analysis.text):
        return None
    lines = [s for s in spans if s.check.passes and _PROPOSER_COUNT.search(s.text)]
    if not lines:
        return None
    return min(lines, key=lambda s: (s.rank, s.last - s.first, len(s.text)))


RESTATED = 0.8  # share of a sentence's words and figures already quoted that makes it a repeat
RESTATED_WORDS = 8  # …of a sentence of at least this many words


def _restates(text: str, quoted: str) -> bool:
    """Does *text* say again what *quoted* says (a document repeating its own sentence in
    another section, "PaGamO는 … 2만 명 수준에서 4만 명으로 증가함")? Its figures are all in
    *quoted* and most of its words too."""
    from .tokenization import content_words

    nums = re.findall(r"\d[\d,.]*", text)
    if any(n not in quoted for n in nums):
        return False
    words = set(content_words(text))
    # a short sentence shares most of its few words with any sentence on its topic ("이는
    # 캐나다의 최초의 대륙횡단철도였다."): only a long one can be a repeat
    return len(words) >= RESTATED_WORDS and len(words & set(content_words(quoted))) >= RESTATED * len(words)


SECOND_MAX_CHARS = 300


def choose_spans(spans: list[_Span], cal) -> list[_Span]:
    """The best span by ``p - length_penalty * chars``; when it is unsure, also the most
    probable single sentence it does not already quote (from any passage)."""
    best = max(spans, key=lambda s: s.p - span_cost(len(s.text), cal))
    chosen = [best]
    if best.p < cal.second_if_below:
        used = {(best.hit.chunk.chunk_id, i) for i in range(best.first, best.last + 1)}
        # (a second sentence is a hedge, not a page: the constitution's 600-character preamble,
        # likelier than most for a date question, is never quoted beside the article that answers)
        others = [s for s in spans if s.first == s.last and len(s.text) <= SECOND_MAX_CHARS
                  and (s.hit.chunk.chunk_id, s.first) not in used
                  and s.hit.chunk.sentences[s.first].text not in best.text and not _restates(s.text, best.text)]
        if others:
            second = max(others, key=lambda s: s.p)
            if second.p >= cal.second_min_p:
                chosen.append(second)
    return chosen


def without_idle_edges(span: _Span, eligible: list[_Span], analysis: QuestionAnalysis) -> _Span:
    """*span* without a first or last sentence that names none of the question's words and
    holds no figure of the kind asked, when the rest is itself an eligible span (it holds the
    answer and meets every constraint): "…클라우드 플랫폼 업체들의 수혜가 기대되고 있음" before
    "아마존은 지난달에만 직원 10만 명을 새로 뽑았다" adds nothing to "아마존 지난달에 직원 몇
    명 새로 뽑았어?" but a wrong lead — the span model, fitted on the length and closeness of
    whole spans, may still like the pair better than the sentence alone. Only for a question
    asking a figure: a sentence without the question's words may still be what answers
    another kind of question (a paraphrase)."""
    from .question import type_ok
    from .tokenization import content_words

    expected = analysis.frame.expected
    asked = set(content_words(analysis.text))
    if span.first == span.last or not asked or expected.kind not in _FIGURE_TYPES:
        return span
    c = span.hit.chunk
    by_range = {(s.hit.chunk.chunk_id, s.first, s.last): s for s in eligible}
    bound = _ASKED_BOUND.search(analysis.frame.text)
    for first, last, edge in ((span.first + 1, span.last, span.first), (span.first, span.last - 1, span.last)):
        rest = by_range.get((c.chunk_id, first, last))
        text = c.sentences[edge].text
        # (a figure with another bound than the one asked is none of the kind asked: "50일 미만"
        # for "며칠 이상으로 바꿔요?")
        other_bound = bound is not None and not _bounded(text, bound.group(1)) and rest is not None and \
            _bounded(rest.text, bound.group(1))
        if rest is not None and (other_bound or (not asked & set(content_words(text)) and not type_ok(expected, text, []))):
            return without_idle_edges(rest, eligible, analysis)
    return span


def with_its_items(chosen: list[_Span], analysis: QuestionAnalysis) -> list[_Span]:
    """*chosen* with the first span's list, when its last sentence introduces one ("④
    법제처장은 다음 각 호의 어느 하나에 해당하는 법령안이 … 반려할 수 있다." before "1. …",
    "2. …"): the items are what it says — quoted without them it answers "어떤 게 있어?" with
    "the following". A bill's amending instruction ("다음과 같이 신설한다") introduces the
    amended text, not an answer; a question for a figure is answered by its sentence."""
    from dataclasses import replace

    from .textrepair import is_list_item

    span = chosen[0]
    c = span.hit.chunk
    if analysis.frame.expected.kind in _FIGURE_TYPES or not _LIST_INTRO.search(c.sentences[span.last].text):
        return chosen
    k, items = span.last + 1, 0
    if k < len(c.sentences) and _LIST_NOTE.match(c.sentences[k].text):
        k += 1  # "이 경우 제3호부터 제5호까지에 해당하는 경우에는 …": a note on the items
    while k < len(c.sentences) and items < MAX_LIST_ITEMS and is_list_item(c.sentences[k].text):
        k, items = k + 1, items + 1
    if items < 2:
        return chosen
    whole = replace(span, last=k - 1)
    rest = [s for s in chosen[1:] if not (s.hit.chunk.chunk_id == c.chunk_id and s.first <= k - 1 and s.last >= span.first)]
    return [whole] + rest


def with_its_proviso(chosen: list[_Span], analysis: QuestionAnalysis) -> list[_Span]:
    """*chosen* with the proviso that follows the first span's rule, when the proviso is about
    what the question asks of: "대통령 탄핵소추를 의결하려면 몇 명이 찬성해야 돼?" is answered
    by ② "제1항의 탄핵소추는 … 과반수의 찬성이 있어야 한다." only with its "다만, 대통령에
    대한 탄핵소추는 … 3분의 2 이상의 찬성이 있어야 한다." — quoted without it, the rule
    answers the question wrongly. The proviso's own subject (before its topic particle) must
    name a word of the question that the rule's sentence does not."""
    from dataclasses import replace

    from .tokenization import content_words

    span = chosen[0]
    c = span.hit.chunk
    k = span.last + 1
    if k >= len(c.sentences):
        return chosen
    m = _PROVISO.match(c.sentences[k].text)
    # ("그 예외는 뭐야?" of a rule: its proviso is the exception asked for, whatever it is about)
    excepted = bool(_ASKS_WHAT_IS_EXCEPTED.search(analysis.text)) and \
        bool(_PROVISO_OPENS.match(c.sentences[k].text))
    if not m and not excepted:
        return chosen
    asked = set(content_words(analysis.text))
    own = set(content_words(m.group(1))) - set(content_words(c.sentences[span.last].text)) if m else set()
    if not asked & own and not excepted:
        return chosen
    whole = replace(span, last=k)
    rest = [s for s in chosen[1:] if not (s.hit.chunk.chunk_id == c.chunk_id and s.first <= k and s.last >= span.first)]
    return [whole] + rest


def with_its_rule(chosen: list[_Span], spans: list[_Span]) -> list[_Span]:
    """*chosen* with the rule its first span's proviso qualifies, when that span opens with one:
    "체포되면 바로 변호사 도움 받을 수 있어?" quoted only "다만, 형사피고인이 스스로 변호인을
    구할 수 없을 때에는 … 국가가 변호인을 붙인다." — the exception, without "④누구든지 체포 또는
    구속을 당한 때에는 즉시 변호인의 조력을 받을 권리를 가진다." before it. The rule is the
    sentence before, in the passage or, when the passage opens with the proviso, in the
    passage before it, which ends with the same sentence (among *spans*: the passages read)."""
    from dataclasses import replace

    span = chosen[0]
    c = span.hit.chunk
    if not _PROVISO_OPENS.match(c.sentences[span.first].text):
        return chosen
    if span.first > 0:
        return [replace(span, first=span.first - 1)] + chosen[1:]
    # passages overlap by a sentence: the one before holds the proviso after its rule
    at = c.sentences[span.first].start
    for s in spans:
        o = s.hit.chunk
        k = next((k for k, x in enumerate(o.sentences) if x.start == at), 0) if o.doc_id == c.doc_id else 0
        if k > 0:
            if span.last == span.first:
                return [replace(s, first=k - 1, last=k)] + chosen[1:]
            return chosen + [replace(s, first=k - 1, last=k - 1)]
    return chosen


def with_its_ground(chosen: list[_Span], analysis: QuestionAnalysis) -> list[_Span]:
    """*chosen* with the sentence before its first span, when a reason is asked and that span
    opens as a consequence of it ("이에 육아휴직 가능 시기를 만 8세 이하로 확대하여 … 하려는
    것임" after "…흉악범죄의 피해자가 되고 있음."): the ground is the reason the bill gives,
    what follows "이에" is what it does about it."""
    from dataclasses import replace

    span = chosen[0]
    c = span.hit.chunk
    if analysis.frame is None or analysis.frame.expected.kind != "reason" or span.first == 0 or \
            not _CONSEQUENCE_OPENS.match(c.sentences[span.first].text):
        return chosen
    return [replace(span, first=span.first - 1)] + chosen[1:]


def with_what_it_points_to(chosen: list[_Span], analysis: QuestionAnalysis) -> list[_Span]:
    """*chosen* with the sentence before its first span, when the question asks which work (or
    company, bill …) and that span names it only as "이 영화" while the sentence before names it:
    "진선규가 … 남우조연상 받은 영화가 뭐예요?" quoted "진선규는 이 영화로 2017년 청룡영화제
    남우조연상을 수상하였고 …" without "…영화 《범죄도시》를 …" before it."""
    from dataclasses import replace

    span = chosen[0]
    c = span.hit.chunk
    first = c.sentences[span.first].text
    pointed = _POINTED_KIND.search(first)
    question = analysis.frame.text if analysis.frame is not None else ""
    if pointed is None or span.first == 0 or "《" in first or not re.search(
            rf"(?:무슨|어떤|어느|무엇|뭔)\s*{pointed.group(1)}|{pointed.group(1)}\s*(?:이|가|은|는)?\s*(?:뭐|무엇|어디|이름)", question):
        return chosen
    before = c.sentences[span.first - 1].text
    if "《" not in before and pointed.group(1) not in before:
        return chosen
    return [replace(span, first=span.first - 1)] + chosen[1:]


# "이 영화로 …", "그 작품에서 …": a work named by the sentence before
_POINTED_KIND = re.compile(r"(?<![가-힣])(?:이|그)\s*(영화|드라마|작품|책|소설|앨범|곡|노래|연극|뮤지컬|프로그램|회사|기업|법안|대회)"
                           r"(?:로|으로|에서|를|을|의|가|이|는|은|에|와|과)(?![가-힣])")


# "이에 …" (also "이에 따라 …"), "따라서 …": what follows from the sentence before
_CONSEQUENCE_OPENS = re.compile(r"\s*(?:이에|따라서|그러므로|그래서)[\s,]")
# "다만, 대통령에 대한 탄핵소추는 …": a proviso and its own subject
_PROVISO = re.compile(r"\s*다만\s*,?\s*(\S+(?:\s+\S+){0,3}?)(?:은|는)\s")
_PROVISO_OPENS = re.compile(r"\s*다만\s*[,，]")
# what a question about a rule asks to be excepted: explain's "예외" (a more-request for the
# rule's exception), and the ways a law question asks what is not allowed ("…못 하는 경우는?")
_ASKS_WHAT_IS_EXCEPTED = re.compile(r"예외|제외되는|(?:안|못)\s*(?:되는|하는)\s*경우|할\s*수\s*없는\s*경우|exception", re.I)


_LIST_INTRO = re.compile(r"다음\s*각\s*호|다음\s*(?:의\s*)?사항(?:은|을|에)|다음과\s*같(?!이\s*(개정|신설|한다|하고))")
_LIST_NOTE = re.compile(r"\s*(이 경우|다만)")
MAX_LIST_ITEMS = 8  # a longer list is quoted by its first items: the passage, one click away, has the rest


def with_the_rarest_word(eligible: list[_Span], question: str, stats) -> list[_Span]:
    """Of *eligible* spans for an English question, those that hold the rarest Korean word
    the glossary gives for it, when some do: "How much did Amazon's toilet paper sales grow?"
    is about 화장지 (in one sentence of the report), not 아마존 or 증가 — the cross-lingual
    reading liked the cloud-share sentence better (both name 아마존 and growth)."""
    from .crosslingual import korean_terms

    n = max(1, stats.n_sentences)
    known = [t for t in dict.fromkeys(korean_terms(question)) if len(t) >= 2 and stats.sentence_df.get(t, 0)]
    rare = [t for t in known if stats.sentence_df[t] / n <= RARE_WORD_SHARE]
    if not rare:
        return eligible
    rarest = min(rare, key=lambda t: stats.sentence_df[t])
    having = [s for s in eligible if rarest in s.text]
    return having or eligible


RARE_WORD_SHARE = 0.01  # a word in at most this share of the sentences says what a question is about


def _bounded(text: str, bound: str) -> bool:
    """Does *text* state a figure with *bound* ("50일 이상" for 이상)?"""
    return re.search(r"\d\s*[가-힣%]{0,3}\s*" + bound, text) is not None


_FIGURE_TYPES = frozenset({"count", "amount", "rate", "period", "date", "number"})


def _compose(spans: list[_Span]) -> tuple[str, list[Citation]]:
    """The quoted spans in document order, each with its ``[n]`` citation."""
    spans = sorted(spans, key=lambda s: (s.hit.chunk.doc_id, s.hit.chunk.sentences[s.first].start))
    parts, citations = [], []
    for n, span in enumerate(spans, 1):
        c = span.hit.chunk
        first, last = c.sentences[span.first], c.sentences[span.last]
        citations.append(Citation(n=n, chunk_id=c.chunk_id, doc_id=c.doc_id, heading=c.heading,
                                  line_start=first.line_start, line_end=last.line_end, passage=c.text,
                                  evidence_start=first.start - c.start, evidence_end=last.end - c.start,
                                  passage_lines=(c.line_start, c.line_end),
                                  location=c.location_at(first.line_start, last.line_end)))
        # A 개조식 statement has no period ("…폭증하였음"): each statement of a two-sentence
        # span then ends with its own marker, so the answer does not read as one run-on.
        pieces = [c.sentences[i].text for i in range(span.first, span.last + 1)]
        if len(pieces) > 1 and not _TERMINAL.search(pieces[0]):
            parts.append(" ".join(f"{p} [{n}]" for p in pieces))
        else:
            parts.append(f"{span.text} [{n}]")
    return " ".join(parts), citations


_TERMINAL = re.compile(r"[.!?。…][\"'”’)\]」』]*$")


# Candidate sentences the learned reader reads (each with its neighbours): those of the best
# spans by the hand-built span model, at least READ_AT_LEAST and at most READ_SENTENCES, a
# further one only while its span's probability is READ_RATIO of the best one's or more.
# On the tune halves (2026-12-04) that reads a median of 3 sentences and keeps the gold one
# for 98% (korquad-open), 100% (report) and 95% (law) of the questions (8 fixed: 99/100/97%,
# at twice the reading time: reading is the costliest step of an answer).
READ_SENTENCES = 6
READ_AT_LEAST = 3
READ_RATIO = 0.3
READ_SENTENCES_CROSS_LINGUAL = 8


def window_title(chunk) -> str:
    """What the reader reads a passage under: its document's name and heading path (the
    page's own title when the document is named after it), at most three parts."""
    from pathlib import PurePath

    stem = PurePath(chunk.doc_id).stem.replace("_", " ").strip()
    path = [h for h in chunk.heading_path if h.strip()]

    def plain(x: str) -> str:
        return re.sub(r"[\W_]+", "", x).lower()

    parts = path if path and plain(stem).startswith(plain(path[0])) else [stem, *path]
    if len(parts) > 3:
        parts = [parts[0], *parts[-2:]]
    return " · ".join(parts)


def sentence_key(chunk, i: int) -> tuple:
    """A sentence's identity across overlapping chunks: (document, start, end)."""
    x = chunk.sentences[i]
    return chunk.doc_id, x.start, x.end


def reading_plan(spans: list, plan, question: str, n: int = READ_SENTENCES, at_least: int = READ_AT_LEAST,
                 ratio: float = READ_RATIO):
    """The windows the reader reads for *question*: the sentences of the best spans by the
    hand-built model (``p0``; see READ_SENTENCES), each with its neighbours, one passage at a
    time (*plan* is the reader's :meth:`~untact_qa.readers.base.ReaderModel.plan`). Returns
    ``(windows, keys, chunks)``: for each window its sentence keys and its chunk."""
    from .readers.base import Window

    centers: dict[str, tuple] = {}
    seen: set = set()
    ordered = sorted(spans, key=lambda s: -s.p0)
    top = ordered[0].p0 if ordered else 0.0
    for s in ordered:
        if len(seen) >= n or (len(seen) >= at_least and s.p0 < ratio * top):
            break
        chunk = s.hit.chunk
        for i in range(s.first, s.last + 1):
            key = sentence_key(chunk, i)
            if key in seen or len(seen) >= n:
                continue
            seen.add(key)
            centers.setdefault(chunk.chunk_id, (chunk, set()))[1].add(i)
    windows, keys, chunks = [], [], []
    for chunk, idx in centers.values():
        texts = [x.text for x in chunk.sentences]
        title = window_title(chunk)
        for first, last in plan(question, title, texts, sorted(idx)):
            windows.append(Window(title, tuple(texts[first:last + 1])))
            keys.append([sentence_key(chunk, i) for i in range(first, last + 1)])
            chunks.append(chunk)
    return windows, keys, chunks


# Below this span probability a sentence is never quoted as the answer: on the tune and test
# halves of every suite no correct answer had less, while wrong answers to unanswerable
# questions did (2026-12-03: 0 of 1,376 correct answers lost, 2 more abstentions).
MIN_SPAN_P = 0.05

# The closest content is offered when the abstention model gives the constraint-failing
# span at least this share of the probability it needs to answer: it is about the question
# (right type, right topic), only its year, place or measure is another.
NEAR_MISS_SHARE = 0.5


_EXPLICIT_DATE = re.compile(r"(?<!\d)(?:1[0-9]|20)\d{2}\s*[년.]|\d{1,2}\s*월\s*\d{1,2}\s*일|[’']\d{2}\s*[년.]")
# "회계연도 개시 90일전까지", "공포 후 6개월이 경과한 날": a time as exact as a date, counted
# from an event the sentence names (not a vague "공포 당시")
_DEADLINE = re.compile(r"\d+\s*(?:일|개월|년|주)\s*(?:전|후|이내|내|안에|이\s*경과한|가\s*경과한|이\s*지난|가\s*지난)")
_ASKS_NAME = re.compile(r"이름|누구|누가|인물|사람은|무엇이라고|뭐라고|라고 (하|부르|불리)|명칭")


def _page_subject(frame: QuestionFrame, span: _Span) -> str:
    """The title of the page the answer comes from, when the question asks *who* or *what it
    is called* and the quoted sentence never names its own subject: on a page about 임종석,
    "1989년 2월 15일 … 지명수배되었다." answers "지명수배된 사람의 이름은?" only with the page's
    title, which the citation's heading shows."""
    chunk = span.hit.chunk
    if not chunk.heading_path or not _ASKS_NAME.search(frame.text):
        return ""
    title = chunk.heading_path[0]
    from pathlib import PurePath

    def plain(x: str) -> str:
        return re.sub(r"[\W_]+", "", x).lower()

    if not plain(PurePath(chunk.doc_id).stem).startswith(plain(title)) or len(title) > 30:
        return ""  # a section heading, not the page's title
    key = surface_key(title)
    if key in surface_key(frame.text) or key in surface_key(span.text):
        return ""
    return title


def _mismatches(check: SpanCheck) -> tuple[tuple[str, str, str], ...]:
    return tuple([(c.kind, c.describe(), found) for c, found in check.contradicted]
                 + [(c.kind, c.describe(), "") for c in check.unmet])


def _near_miss_reason(frame: QuestionFrame, check: SpanCheck, missing: list[str] = ()) -> str:
    """Which constraint the closest content fails, in words ("2021년이지 2022년이 아닙니다")."""
    failed = {c.value for c in check.unmet} | {c.value for c, _ in check.contradicted}
    missing = [m for m in missing if m in failed]
    if missing:  # a name the documents never mention says it best
        return "문서 어디에도 " + ", ".join(f"‘{m}’" for m in missing[:3]) + "에 대한 내용이 없습니다."
    parts = [f"문서의 해당 내용은 {found}에 관한 것이고 {josa(c.describe(), '이')} 아닙니다"
             for c, found in check.contradicted]
    parts += [f"‘{c.describe()}’에 대한 내용이 그 문단에 없습니다" for c in check.unmet]
    return "; ".join(parts) + "."


def _near_miss_text(frame: QuestionFrame, closest: str, check: SpanCheck | None = None,
                    mentioned: Callable[[str], bool] | None = None) -> str:
    """The near miss said in words: what the documents lack, then the closest content.
    *mentioned*: does a document name this phrase (None: not known)."""
    # (a follow-up's opening word is none of it: "문서에는 그럼 대만 정부가 …")
    topic = re.sub(r"^(?:그럼|그러면|그리고|근데|그런데|그래서|그럼요)\s+", "", frame.topic or "") or frame.topic
    if frame.expected.kind == "reason" and not re.search(r"(이유|원인|까닭|배경)$", topic or ""):
        # "국회의원 임기는 왜 4년이야?": the reason is what is missing, not the term ("문서에는
        # 국회의원 임기가 나오지 않습니다" said what they do state), nor "왜 …가"
        asked = re.sub(r"\s+", " ", re.sub(r"(?<![가-힣])왜(?![가-힣])|[?？.!]+\s*$", " ", frame.text)).strip()
        topic = f"‘{asked}’의 이유"
    if check is not None and topic and re.search(r"[가-힣](려면|으면|는데|지만|어서|아서|면)$", topic):
        # "국회의원 선거에 나가려면 …": a clause is no phrase to say missing ("…나가려면이 나오지
        # 않습니다"): what the closest content failed to be about
        failed = [c.value for c, _ in check.contradicted] + [c.value for c in check.unmet]
        topic = f"{failed[0]}에 관한 그 내용" if failed else topic
    if not re.search(r"[가-힣]", topic) and not re.search(r"[가-힣]", frame.text):
        # a question in another language has no Korean topic phrase to name ("In Korea,"):
        # name what the closest content is not about, as the documents write it (한국)
        failed = [c.value for c, _ in check.contradicted] + [c.value for c in check.unmet] if check else []
        named = [v for v in dict.fromkeys(failed) if re.search(r"[가-힣]", v)]
        topic = f"{'·'.join(named[:2])}에 관한 그 내용" if named else "질문이 묻는 내용"
    from .surface import surface_key

    if check is not None and topic and surface_key(topic) in surface_key(closest) and \
            not any(surface_key(c.describe()) in surface_key(topic) for c, _ in check.contradicted):
        # the closest content is about the topic ("정도전은 언제 태어났어?": a sentence on 정도전's
        # role): what it lacks is what was asked of it, not the topic
        asked = [c.describe() for c, _ in check.contradicted] + [c.describe() for c in check.unmet]
        what = f"{josa(topic, '의')} {asked[0]}" if asked else f"{topic}에 대해 묻는 그 내용"
        return f"문서에는 {josa(what, '이')} 나오지 않습니다. 가장 가까운 내용: {closest}"
    named = re.sub(r"(들)?(에서는|에서|에게|에는)?$", "", topic) if topic else ""  # "노르웨이에서", "일본 기업들"
    if mentioned is not None and len(named) >= 2 and re.search(r"[가-힣]", named + frame.text) and mentioned(named):
        # what the documents do name ("대통령은 연임할 수 있어?", closest a sentence on 법관;
        # "일본 기업들은 …"): it is what was asked of it that they lack, not the name
        return f"문서에는 {named}에 관한 그 내용이 나오지 않습니다. 가장 가까운 내용: {closest}"
    return f"문서에는 {josa(topic, '이')} 나오지 않습니다. 가장 가까운 내용: {closest}"


def _abstain_reason(a: QuestionAnalysis, had_eligible: bool = True) -> str:
    """Why there is no answer, in words a reader understands (no scores)."""
    if a.missing_subject and a.missing_subject not in a.missing:
        return f"문서 어디에도 ‘{a.missing_subject}’에 대한 내용이 없습니다."
    if a.missing:
        names = ", ".join(f"‘{m}’" for m in a.missing[:3])
        return f"문서 어디에도 {names}에 대한 내용이 없습니다."
    if a.corpus_coverage < 0.5:
        return "질문의 핵심 단어 대부분이 문서에 나오지 않습니다."
    if not had_eligible and a.frame is not None and a.frame.expected.kind in _TYPE_WORDS:
        return f"관련된 문단은 있지만 질문이 묻는 {josa(_TYPE_WORDS[a.frame.expected.kind], '을')} 담은 문장이 없습니다."
    return "질문에 답하는 문장을 문서에서 찾지 못했습니다. 관련된 문단은 아래에 있습니다."


_TYPE_WORDS = {"count": "수", "amount": "금액", "rate": "비율", "date": "날짜나 시기", "period": "기간",
               "person": "인물", "organisation": "기관", "place": "장소", "number": "수치", "change": "변화량"}


def _abstain_text(question: str) -> str:
    shown = question if len(question) <= 60 else question[:57] + "…"
    return f"{NO_ANSWER} 질문 “{shown}”에 대해 색인된 문서를 검색했지만 이를 뒷받침하는 문장이 없습니다."
