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
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from .calibration import ABSTAIN_FEATURES, sigmoid
from .retrieval import clean_query, query_idf
from .tokenization import typed_terms
from .schema import Answer, Citation, Hit

if TYPE_CHECKING:
    from .engine import Engine

NO_ANSWER = "문서에서 근거를 찾지 못했습니다."


@runtime_checkable
class Answerer(Protocol):
    """Anything that turns a question into an :class:`Answer` (extractive now, generative later)."""

    def answer(self, question: str, mode: str | None = None, top_k: int | None = None,
               history: list[tuple[str, str]] | None = None) -> Answer:
        """Answer *question*; *history* holds earlier (question, answer) turns."""


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


@dataclass
class _Span:
    hit: Hit
    rank: int  # 1-based passage rank
    first: int  # sentence indices inside the passage
    last: int
    rows: list[tuple]  # (doc_id, start, end) of its sentences
    features: list[float] = field(default_factory=list)
    p: float = 0.0

    @property
    def text(self) -> str:
        c = self.hit.chunk
        return c.text[c.sentences[self.first].start - c.start: c.sentences[self.last].end - c.start]


class ExtractiveAnswerer:
    """The default, offline answerer (see the module docstring)."""

    passages = 5  # top passages whose sentences are candidate spans
    max_pair_chars = 220  # a two-sentence span longer than this is not offered

    def __init__(self, engine: Engine, calibration=None) -> None:
        self.engine = engine
        self.calibration = calibration or engine.retriever.calibration

    # -- public ------------------------------------------------------------------------
    def answer(self, question: str, mode: str | None = None, top_k: int | None = None,
               history: list[tuple[str, str]] | None = None, collect: dict | None = None) -> Answer:
        """Retrieve, score candidate spans, cite the best one, or abstain.

        *collect*, when given, receives the span and abstention features (for
        ``untact-qa calibrate``).
        """
        t_start = time.perf_counter()
        q = clean_query(question, self.engine.settings)
        searched = q.text
        if history:
            from .followup import complete_question

            searched = complete_question(q.text, history, self.engine.embedder)
        top_k = top_k or self.engine.settings.retrieval.top_k
        result = self.engine.retriever.retrieve(searched, mode=mode, top_k=max(top_k, self.passages))
        timings = dict(result.timings_ms)
        t = time.perf_counter()
        qvec = result.query_vector
        if qvec is None:
            qvec = self.engine.embedder.encode_query(searched)
        analysis = self.analyze(searched, result.query_terms, result.query_tokens)
        top = result.hits[: self.passages]
        spans, passage_feats, passage_logits = self._spans(top, result, qvec, analysis)
        cal = self.calibration
        best, chosen = None, []
        if spans:
            X = np.array([s.features for s in spans])
            probs = cal.span.proba(X)
            for s, p in zip(spans, probs):
                s.p = float(p)
            chosen = choose_spans(spans, cal)
            best = chosen[0]
        abst = self._abstain_features(best, spans, passage_feats, passage_logits, result, analysis)
        p_answerable = float(cal.abstain.proba(np.array([abst]))[0]) if best else 0.0
        # A question *about* something the documents never mention (its opening name, as in
        # "인도네시아의 음식배달 앱 사용률은?") cannot be answered from them, however similar the
        # rest is: the sentence about 대만 is not an answer. Other missing names are one
        # feature among many for the learned model (they are often spelling variants).
        veto = bool(analysis.missing_subject) and not analysis.latin
        if collect is not None:
            collect.update(spans=spans, abstain=abst, analysis=analysis, result=result, veto=veto)
        reason = ""
        if best is None:
            reason = "질문과 관련된 문단을 찾지 못했습니다."
        elif veto or p_answerable < cal.abstain_threshold:
            reason = _abstain_reason(analysis)
        if reason:
            text, citations = _abstain_text(searched), []
        else:
            text, citations = _compose(chosen)
        timings["answer"] = (time.perf_counter() - t) * 1000
        timings["total"] = (time.perf_counter() - t_start) * 1000
        return Answer(question=q.text, text=text, citations=tuple(citations), abstained=bool(reason), reason=reason,
                      searched_query=searched, hits=tuple(result.hits[:top_k]), timings_ms=timings,
                      confidence=p_answerable, missing_terms=tuple(analysis.missing))

    # -- question ----------------------------------------------------------------------
    def analyze(self, question: str, terms: list[str], tokens) -> QuestionAnalysis:
        """Question-level facts: IDF of its terms, what it asks for, names the corpus lacks."""
        stats = self.engine.index.stats
        content = [t for t in dict.fromkeys(terms) if t not in _QUESTION_WORDS]
        idf = query_idf(stats, content)
        total = sum(idf.values()) or 1.0
        known = sum(w for t, w in idf.items() if stats.has_term(t)) / total
        asks = {"who": bool(_WHO.search(question)), "when": bool(_WHEN.search(question)),
                "where": bool(_WHERE.search(question)), "how_many": bool(_HOW_MANY.search(question)),
                "what": bool(_WHAT.search(question))}
        latin = _latin_ratio(question) > 0.5
        nouns = [f for f, c in dict.fromkeys(typed_terms(tokens)) if c in "PNLS" and f not in _QUESTION_WORDS]
        vocab_prefixes = _vocab_prefixes(stats)
        noun_cov = sum(stats.has_term(f) for f in nouns) / len(nouns) if nouns else 1.0
        # a variant of a corpus word counts ("하락기" ~ "하락세"): same first two syllables
        soft_cov = (sum(stats.has_term(f) or (len(f) >= 3 and f[:2] in vocab_prefixes) for f in nouns) / len(nouns)
                    if nouns else 1.0)
        names = [] if latin else question_names(question, tokens)
        found = {n: self.engine.corpus_contains(n) for n, _ in names}
        # a core inside a phrase the documents do contain is there ("흥신" in "흥신학원")
        missing = [n for n, kind in names if kind == "core" and not found[n]
                   and not any(found[m] and n in m for m, _ in names)]
        compounds = [n for n, kind in names if kind == "compound" and not found[n]]
        toks = list(tokens)
        subject = ""
        if missing and len(toks) > 1 and toks[0].tag.split("-")[0] in _NAME_TAGS \
                and toks[1].tag in ("JKG", "JX", "JKS") and toks[1].start == toks[0].start + toks[0].len:
            first = question[toks[0].start: toks[0].start + toks[0].len]
            if first in missing and (len(first) >= 3 or not re.fullmatch(r"[가-힣]+", first)):
                subject = first  # two-syllable names are too often spelling or segmentation variants
        return QuestionAnalysis(question, frozenset(t.form for t in tokens), idf, known, asks,
                                _trigrams(question), missing, latin, compounds, noun_cov, soft_cov, nouns, subject)

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
        lex = {key: sum(w for t, w in a.idf.items() if t in {f for f, _ in toks[key]}) / total for key in cos}
        cos_top, lex_top = max(cos.values()), max(lex.values())
        # Passage-local IDF: a question term found in every candidate sentence (the article's
        # subject) says nothing about which sentence answers; one found in a single sentence does.
        n_local = len(cos)
        local_df = {t: sum(1 for key in cos if t in {f for f, _ in toks[key]}) for t in a.idf}
        local_idf = {t: w * math.log(1 + n_local / (1 + local_df[t])) for t, w in a.idf.items()}
        local_total = sum(local_idf.values()) or 1.0
        local = {key: sum(w for t, w in local_idf.items() if t in {f for f, _ in toks[key]}) / local_total
                 for key in cos}
        local_top = max(local.values())
        top_logit = float(pl.max())
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
                                                        float(pf[k][7]), float(pl[k]) - top_logit)
                    union = set().union(*({f for f, _ in toks[r]} for r in span.rows))
                    best_local = max(local[r] for r in span.rows)
                    span.features += [best_local, sum(w for t, w in local_idf.items() if t in union) / local_total,
                                      best_local - local_top]
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

    def _abstain_features(self, best: _Span | None, spans, pf, pl, result, a: QuestionAnalysis) -> list[float]:
        if best is None or pf is None:
            return [0.0] * len(ABSTAIN_FEATURES)
        # How much the best candidates stand out from the next ones (query-performance
        # prediction): an answerable question has a peak, an unanswerable one a plateau.
        top = result.features[:10]
        peaks = []
        for col in (0, 4, 5):  # dense cosine, BM25 relative score, best-sentence cosine
            v = np.sort(top[:, col])[::-1]
            peaks.append(float(v[0] - v[1:].mean()) if len(v) > 1 else 0.0)
        # IDF share of the question's nouns found in the top three passages / the top one:
        # a question about something else finds its generic words, not its specific ones
        weights = {n: a.idf.get(n, max(a.idf.values(), default=1.0)) for n in a.nouns}
        total = sum(weights.values())
        tops = [surface_key(h.chunk.embedding_text()) for h in result.hits[:3]]  # the hits' own text

        def share(texts):
            return sum(w for n, w in weights.items() if any(surface_key(n) in t for t in texts)) / total if total else 1.0

        return [best.p, sigmoid(float(result.logits.max())), result.dense_max, float(max(s.features[2] for s in spans)),
                a.corpus_coverage, float(result.features[0][7]), float(len(a.missing)), float(len(a.missing_compounds)),
                float(a.latin), best.features[0], *peaks, a.noun_coverage, a.soft_noun_coverage,
                share(tops), share(tops[:1])]


_PREFIXES: dict[int, tuple] = {}


def _vocab_prefixes(stats) -> frozenset:
    """First two syllables of every corpus term (cached per stats object)."""
    got = _PREFIXES.get(id(stats))
    if got is None or got[0] is not stats:
        got = (stats, frozenset(t[:2] for t in stats.sentence_df if len(t) >= 2))
        _PREFIXES.clear()
        _PREFIXES[id(stats)] = got
    return got[1]


# -- surface forms -----------------------------------------------------------------------------
_QUOTE_YEAR = re.compile(r"[’'´‘`](\d{2})(?=\D|$)")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3})")


def surface_key(text: str) -> str:
    """Normalised surface form for "does the corpus mention X": NFC, no whitespace, no
    thousands separators (4,500 = 4500), and two-digit years spelled out ('09 = 2009)."""
    s = unicodedata.normalize("NFC", text)
    s = _DIGIT_COMMA.sub("", s)
    s = _QUOTE_YEAR.sub(lambda m: ("20" if int(m.group(1)) <= 40 else "19") + m.group(1), s)
    return "".join(s.split()).lower()


def text_mentions(text: str, key: str, has_term=None) -> bool:
    """Does *text* (``surface_key`` forms joined) mention the name *key*?

    A two-syllable Hangul name hides inside longer words ("대모" in "대모험"), so it must be a
    corpus morpheme (*has_term*); a longer one also matches with one vowel changed, the way
    transliterations vary (헤리슨/해리슨, 도날드/도널드).
    """
    if re.fullmatch(r"[가-힣]{1,2}", key):
        return bool(has_term and has_term(key))
    if key in text:
        return True
    if re.fullmatch(r"[가-힣]{3,}", key):
        return any(re.search(re.escape(key[:i]) + _vowel_variants(key[i]) + re.escape(key[i + 1:]), text)
                   for i in range(len(key)))
    return False


def _vowel_variants(syllable: str) -> str:
    """Regex class of the Hangul syllables with the same initial and final consonant."""
    code = ord(syllable) - 0xAC00
    initial, final = code // 588, code % 28
    return "[" + "".join(chr(0xAC00 + initial * 588 + medial * 28 + final) for medial in range(21)) + "]"


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


def choose_spans(spans: list[_Span], cal) -> list[_Span]:
    """The best span by ``p - length_penalty * chars``; when it is unsure, also the most
    probable single sentence it does not already quote (from any passage)."""
    best = max(spans, key=lambda s: s.p - span_cost(len(s.text), cal))
    chosen = [best]
    if best.p < cal.second_if_below:
        used = {(best.hit.chunk.chunk_id, i) for i in range(best.first, best.last + 1)}
        others = [s for s in spans if s.first == s.last and (s.hit.chunk.chunk_id, s.first) not in used
                  and s.hit.chunk.sentences[s.first].text not in best.text]
        if others:
            second = max(others, key=lambda s: s.p)
            if second.p >= cal.second_min_p:
                chosen.append(second)
    return chosen


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
                                  passage_lines=(c.line_start, c.line_end)))
        parts.append(f"{span.text} [{n}]")
    return " ".join(parts), citations


def _abstain_reason(a: QuestionAnalysis) -> str:
    """Why there is no answer, in words a reader understands (no scores)."""
    if a.missing:
        names = ", ".join(f"‘{m}’" for m in a.missing[:3])
        return f"문서 어디에도 {names}에 대한 내용이 없습니다."
    if a.corpus_coverage < 0.5:
        return "질문의 핵심 단어 대부분이 문서에 나오지 않습니다."
    return "질문에 답하는 문장을 문서에서 찾지 못했습니다. 관련된 문단은 아래에 있습니다."


def _abstain_text(question: str) -> str:
    shown = question if len(question) <= 60 else question[:57] + "…"
    return f"{NO_ANSWER} 질문 “{shown}”에 대해 색인된 문서를 검색했지만 이를 뒷받침하는 문장이 없습니다."


def _latin_ratio(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ch.isascii()) / len(letters)
