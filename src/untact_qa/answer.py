"""Short extractive answers with ``[n]`` citations, or an honest abstention.

No language model: the answer is made of 1-3 sentences quoted verbatim from the
retrieved passages, so every claim is checkable. Sentences are scored by

* dense similarity (the same e5 model; sentence vectors are precomputed at build time),
* IDF-weighted overlap of the question's content morphemes,
* question-type cues (몇/얼마 → numbers, 언제 → dates, 누구/어디 → names, 왜 → causes),
* a small prior for the passage's retrieval rank.

Abstention uses two signals calibrated on ``eval/questions.jsonl`` (see
:class:`AnswerConfig`): the best sentence's dense similarity, and whether the question
names something (a proper noun, a foreign word, a year) that the corpus never mentions.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from .retrieval import clean_query
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


@dataclass(frozen=True)
class AnswerConfig:
    """Weights and thresholds of the extractive answerer.

    Calibration (``untact-qa eval`` prints the features behind it): on the 107
    answerable and 14 unanswerable questions of ``eval/questions.jsonl`` we chose the
    thresholds that abstain on as many unanswerable questions as possible while
    wrongly abstaining on at most ~3% of answerable ones. Dense similarity alone
    separates poorly (e5 cosines of related Korean text crowd into 0.80-0.90), so a
    question naming an entity absent from the corpus ("독일", "쿠팡", "2023") is the
    main abstention signal and the similarity floor only catches off-topic questions.
    """

    passages: int = 5  # how many top passages sentences are drawn from
    w_lexical: float = 0.25
    w_cue: float = 0.04
    w_prior: float = 0.02
    max_sentences: int = 3
    max_chars: int = 260  # answer length budget (sum of quoted sentences)
    second_sentence_margin: float = 0.025  # add a sentence scoring within this of the best
    min_dense: float = 0.80  # below this best-sentence similarity: abstain
    min_dense_latin: float = 0.76  # the same for questions written mostly in Latin script
    min_dense_with_missing: float = 0.95  # a missing named entity is forgiven only for a near-verbatim match
    ungrounded_penalty: float = 0.05  # sentence whose passage lacks a named entity of the question


_NUMERIC_Q = re.compile(r"몇|얼마|비율|비중|퍼센트|%|율은|률은|규모|건수|배\b|how (many|much)|what share|percent|rate",
                        re.I)
_DATE_Q = re.compile(r"언제|날짜|며칠|몇 ?월|몇 ?년|연도|when", re.I)
_NAME_Q = re.compile(r"누구|어디|어느|어떤 (기업|회사|업체|나라|국가|플랫폼|서비스)|기업은|업체는|회사는|이름|나라는|which|who", re.I)
_WHY_Q = re.compile(r"왜|이유|원인|배경|why|because", re.I)
_COMPARE_Q = re.compile(r"차이|비교|다른가|다르|어느 쪽|중 어디|중 어느|보다|versus|compare", re.I)
_NUMBER = re.compile(r"\d")
_DATE = re.compile(r"\d+\s*(월|일|년)|\d{4}")
_NAME = re.compile(r"[A-Za-z]{2,}|[‘'\"“][^’'\"”]{2,}[’'\"”]")
_CAUSE = re.compile(r"때문|따라|인해|인한|위해|이유|계기|면서|우려|덕분|으로 보여|에 따른")
# A sentence opening with one of these leans on the sentence before it.
_ANAPHORA = re.compile(r"^(이는|이러한|이런|이에|이 중|이중|이뿐|그러나|하지만|또한|따라서|그 외|이를|이와)")
# Question words and fillers that are not content to be found in the documents.
_QUESTION_WORDS = frozenset("무엇 뭐 어디 누구 얼마 몇 언제 왜 어떻 어떤 어느 하 되 있 없 이유 정도 경우 내용 대하 관하 말하 보 나".split())
# The report says 우리나라/국내 for Korea; a question saying 한국 is still grounded there.
_ALIASES = {"한국": ("한국", "우리나라", "국내"), "우리나라": ("한국", "우리나라", "국내")}
# Tags whose absence from the whole corpus means the question is about something else.
_ENTITY_TAGS = frozenset({"NNP", "SL", "SH"})


@dataclass
class _Candidate:
    hit: Hit
    sent_idx: int  # index into hit.chunk.sentences
    row: int | None
    dense: float = 0.0
    lexical: float = 0.0
    cue: float = 0.0
    score: float = 0.0
    grounded: bool = True

    @property
    def sentence(self):
        return self.hit.chunk.sentences[self.sent_idx]

    @property
    def key(self):
        s = self.sentence
        return (self.hit.chunk.doc_id, s.start, s.end)


class ExtractiveAnswerer:
    """The default, offline answerer (see the module docstring)."""

    def __init__(self, engine: Engine, config: AnswerConfig | None = None) -> None:
        self.engine = engine
        self.config = config or AnswerConfig()

    # -- public ------------------------------------------------------------------------
    def answer(self, question: str, mode: str | None = None, top_k: int | None = None,
               history: list[tuple[str, str]] | None = None) -> Answer:
        """Retrieve, pick the best sentences, cite them, or abstain."""
        t_start = time.perf_counter()
        q = clean_query(question, self.engine.settings)
        searched = q.text
        if history:
            from .followup import complete_question

            searched = complete_question(q.text, history)
        top_k = top_k or self.engine.settings.retrieval.top_k
        result = self.engine.retriever.retrieve(searched, mode=mode, top_k=max(top_k, self.config.passages))
        timings = dict(result.timings_ms)
        t = time.perf_counter()
        qvec = result.query_vector
        if qvec is None:
            qvec = self.engine.embedder.encode_query(searched)
        hits = result.hits[:top_k]
        features = self._features(searched, result.query_terms, result.query_tokens)
        cands = self._candidates(result.hits[: self.config.passages], qvec, features)
        confidence = max((c.dense for c in cands), default=0.0)
        abstain_reason = self._abstain_reason(searched, cands, features)
        if abstain_reason:
            text, citations = _abstain_text(searched), []
        else:
            text, citations = _compose(self._select(cands, features))
        timings["answer"] = (time.perf_counter() - t) * 1000
        timings["total"] = (time.perf_counter() - t_start) * 1000
        return Answer(question=q.text, text=text, citations=tuple(citations), abstained=bool(abstain_reason),
                      reason=abstain_reason, searched_query=searched, hits=tuple(hits), timings_ms=timings,
                      confidence=confidence, missing_terms=tuple(features["missing"]))

    # -- scoring -----------------------------------------------------------------------
    def _features(self, question: str, terms: list[str], tokens: list) -> dict:
        idx = self.engine.index
        n = max(1, len(idx.sentence_keys))
        content = [t for t in dict.fromkeys(terms) if t not in _QUESTION_WORDS]
        idf = {t: math.log(1 + n / (1 + idx.sentence_df.get(t, 0))) for t in content}
        missing: list[str] = []
        grounded: list[str] = []
        for i, tok in enumerate(tokens):
            tag = tok.tag.split("-")[0]
            form = tok.form.lower() if tag == "SL" else tok.form
            is_year = tag == "SN" and re.fullmatch(r"(19|20)\d\d", form)
            named = tag in _ENTITY_TAGS and len(form) >= 2  # one-syllable "names" are mis-segmentations
            # A question opening with "X의 ..." is about X even when Kiwi does not know X is a
            # name (토스의, 쿠팡의). Mid-question possessors are often paraphrases (식당의 매출).
            possessor = (i == 0 and tag in ("NNG", "NNP") and len(form) >= 2 and len(tokens) > 1
                         and tokens[1].tag == "JKG")
            named = named or possessor
            if (named or is_year) and not idx.has_term(form):
                missing.append(tok.form)
            elif tag == "NNP" and len(form) >= 2 and not form.isascii():
                grounded.append(form)
        # A proper noun glued to other nouns ("카카오"+"뱅크") names one thing: it must occur as a whole.
        for compound in _noun_compounds(question, tokens):
            if compound not in missing and not self.engine.corpus_contains(compound):
                missing.append(compound)
        return {
            "terms": content,
            "idf": idf,
            "missing": missing,
            "grounded": grounded,
            "latin_question": _latin_ratio(question) > 0.5,
            "numeric": bool(_NUMERIC_Q.search(question)),
            "date": bool(_DATE_Q.search(question)),
            "name": bool(_NAME_Q.search(question)),
            "why": bool(_WHY_Q.search(question)),
            "compare": bool(_COMPARE_Q.search(question)),
        }

    def _candidates(self, hits: list[Hit], qvec: np.ndarray, f: dict) -> list[_Candidate]:
        idx = self.engine.index
        cfg = self.config
        seen: set = set()
        cands: list[_Candidate] = []
        for hit in hits:
            for i, s in enumerate(hit.chunk.sentences):
                key = (hit.chunk.doc_id, s.start, s.end)
                if key in seen:
                    continue
                seen.add(key)
                cands.append(_Candidate(hit, i, idx.sentence_row(*key)))
        if not cands:
            return []
        rows = [c.row for c in cands]
        if all(r is not None for r in rows):
            vecs = idx.sentence_vectors[rows]
        else:  # index without this sentence (should not happen): embed on the fly
            vecs = self.engine.embedder.encode_passages([c.sentence.text for c in cands])
        dense = vecs @ qvec
        total_idf = sum(f["idf"].values()) or 1.0
        for c, d in zip(cands, dense):
            toks = set(idx.sentence_keys[c.row][4].split()) if c.row is not None else set()
            c.dense = float(d)
            c.lexical = sum(w for t, w in f["idf"].items() if t in toks) / total_idf
            text = c.sentence.text
            cue = 0.0
            if f["numeric"] and _NUMBER.search(text):
                cue += 1
            if f["date"] and _DATE.search(text):
                cue += 1
            if f["name"] and _NAME.search(text):
                cue += 0.5
            if f["why"] and _CAUSE.search(text):
                cue += 1
            c.cue = cue
            context = c.hit.chunk.embedding_text()
            c.grounded = all(any(a in context for a in _ALIASES.get(e, (e,))) for e in f["grounded"])
            c.score = (c.dense + cfg.w_lexical * c.lexical + cfg.w_cue * cue + cfg.w_prior / c.hit.rank
                       - (0 if c.grounded else cfg.ungrounded_penalty))
        cands.sort(key=lambda c: -c.score)
        return cands

    def _abstain_reason(self, question: str, cands: list[_Candidate], f: dict) -> str:
        cfg = self.config
        if not cands:
            return "no passage matched the question"
        best = max(c.dense for c in cands)
        # Cross-lingual similarities run lower: an English question gets its own floor.
        floor = cfg.min_dense_latin if f["latin_question"] else cfg.min_dense
        if best < floor:
            return f"best sentence similarity {best:.3f} is below the threshold {floor}"
        if f["missing"] and not f["latin_question"] and best < cfg.min_dense_with_missing:
            return ("the documents never mention " + ", ".join(f"'{m}'" for m in f["missing"])
                    + f" (best similarity {best:.3f} < {cfg.min_dense_with_missing})")
        if f["grounded"] and not any(c.grounded for c in cands):
            return ("no retrieved passage mentions " + ", ".join(f"'{g}'" for g in f["grounded"])
                    + " together with the rest of the question")
        return ""

    def _select(self, cands: list[_Candidate], f: dict) -> list[_Candidate]:
        cfg = self.config
        best = cands[0]
        chosen = [best]
        covered = {t for t in f["idf"] if _has(best, t, self.engine)}
        budget = cfg.max_chars - len(best.sentence.text)
        for c in cands[1:]:
            if len(chosen) >= cfg.max_sentences or c.score < best.score - cfg.second_sentence_margin:
                break
            new_terms = {t for t in f["idf"] if _has(c, t, self.engine)} - covered
            if not new_terms and not f["why"]:
                continue  # adds nothing the first sentence did not already say
            if len(c.sentence.text) > budget or _near_duplicate(c, chosen):
                continue
            if c.hit.chunk.heading_path[:2] != best.hit.chunk.heading_path[:2] and not f["compare"]:
                continue  # another chapter (another country) is only quoted when the question compares
            chosen.append(c)
            covered |= new_terms
            budget -= len(c.sentence.text)
        # A sentence opening with "이는/이러한/또한..." needs its predecessor to make sense.
        for c in list(chosen):
            if _ANAPHORA.match(c.sentence.text) and c.sent_idx > 0:
                prev = _Candidate(c.hit, c.sent_idx - 1, None)
                if prev.key not in {x.key for x in chosen} and len(prev.sentence.text) <= budget + 80:
                    chosen.append(prev)
                    budget -= len(prev.sentence.text)
        chosen.sort(key=lambda c: (c.hit.chunk.doc_id, c.sentence.start))
        return chosen


def _noun_compounds(question: str, tokens) -> list[str]:
    """Runs of adjacent nouns inside one word that include a proper noun, e.g. 카카오뱅크."""
    out, run = [], []
    for tok in list(tokens) + [None]:
        tag = tok.tag.split("-")[0] if tok is not None else ""
        adjacent = run and tok is not None and tok.start == run[-1].start + run[-1].len
        if tok is not None and tag in ("NNP", "NNG") and (not run or adjacent):
            run.append(tok)
            continue
        if len(run) > 1 and any(t.tag == "NNP" for t in run):
            out.append(question[run[0].start: run[-1].start + run[-1].len])
        run = [tok] if tok is not None and tag in ("NNP", "NNG") else []
    return out


def _has(c: _Candidate, term: str, engine: Engine) -> bool:
    row = c.row
    if row is None:
        return term in c.sentence.text
    return term in engine.index.sentence_keys[row][4].split()


def _near_duplicate(c: _Candidate, chosen: list[_Candidate]) -> bool:
    a = set(c.sentence.text.split())
    for x in chosen:
        b = set(x.sentence.text.split())
        if len(a & b) / max(1, min(len(a), len(b))) > 0.8:
            return True
    return False


def _compose(chosen: list[_Candidate]) -> tuple[str, list[Citation]]:
    """One citation per passage; its evidence span covers the quoted sentences in it."""
    order: list[str] = []
    spans: dict[str, list[_Candidate]] = {}
    for c in chosen:
        cid = c.hit.chunk.chunk_id
        if cid not in spans:
            order.append(cid)
            spans[cid] = []
        spans[cid].append(c)
    number = {cid: n for n, cid in enumerate(order, 1)}
    parts = [f"{c.sentence.text} [{number[c.hit.chunk.chunk_id]}]" for c in chosen]
    citations = []
    for cid in order:
        group = spans[cid]
        chunk = group[0].hit.chunk
        first = min(group, key=lambda c: c.sentence.start).sentence
        last = max(group, key=lambda c: c.sentence.end).sentence
        citations.append(Citation(n=number[cid], chunk_id=cid, doc_id=chunk.doc_id, heading=chunk.heading,
                                  line_start=first.line_start, line_end=last.line_end, passage=chunk.text,
                                  evidence_start=first.start - chunk.start, evidence_end=last.end - chunk.start,
                                  passage_lines=(chunk.line_start, chunk.line_end)))
    return " ".join(parts), citations


def _abstain_text(question: str) -> str:
    shown = question if len(question) <= 60 else question[:57] + "…"
    return f"{NO_ANSWER} 질문 “{shown}”에 대해 색인된 문서를 검색했지만 이를 뒷받침하는 문장이 없습니다."


def _latin_ratio(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ch.isascii()) / len(letters)

