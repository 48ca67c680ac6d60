"""Near-miss questions for evaluation: an answerable question with one constraint swapped.

A near-miss asks for a fact right next to one the documents state — another year, month,
country or name — so an answerer that picks a sentence for being *about* the question
quotes the neighbouring fact instead of saying the documents do not have it.

:func:`make_near_misses` derives them from a suite's answerable questions: it frames each
question (:mod:`untact_qa.question`), swaps its year, month, country or name for another
value, and keeps the swap only when the corpus **never pairs the new value with that
fact**: the value does not occur in the passage around the question's evidence (the whole
document when it is short, e.g. a Wikipedia article). :func:`pairing_problems` repeats that
check on any question file, so hand-edited near-misses are checked too.
"""

from __future__ import annotations

import hashlib
import re

from .question import _NAME_TAGS, frame_question, lexicon, months_in, places_in, years_in

# A document longer than this is read as sections: a swapped value must not occur within
# WINDOW characters of the evidence (the report covers many countries and years).
WHOLE_DOCUMENT_CHARS = 15_000
WINDOW = 1_500
YEAR_STEPS = (1, -1, 2, -2, 3, -3, 5, -5, 10, -10)
SWAP_ORDER = ("year", "month", "country", "name")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


_SQUASHED: dict[int, tuple[str, str]] = {}


def _squashed(text: str) -> str:
    got = _SQUASHED.get(id(text))
    if got is None or got[0] is not text:
        got = (text, _squash(text))
        _SQUASHED[id(text)] = got
    return got[1]


def evidence_scope(evidence: list[str], documents: dict[str, str]) -> list[str]:
    """The texts around each evidence string: its whole document when that is short, else
    a window of :data:`WINDOW` characters either side (found whitespace-insensitively)."""
    out = []
    for text in documents.values():
        flat = _squashed(text)
        for ev in evidence:
            at = flat.find(_squash(ev))
            if at < 0:
                continue
            if len(flat) <= WHOLE_DOCUMENT_CHARS:
                out.append(text)
                break
            # map the squashed offset back to the original text
            k = n = 0
            while k < len(text) and n < at:
                if not text[k].isspace():
                    n += 1
                k += 1
            out.append(text[max(0, k - WINDOW): k + len(ev) + WINDOW])
    return out


def _value_in(kind: str, value: str, texts: list[str]) -> bool:
    for t in texts:
        if kind == "year" and value in years_in(t):
            return True
        if kind == "month" and value in months_in(t):
            return True
        if kind == "country" and value in places_in("country", t):
            return True
        if kind == "name" and _squash(value).lower() in _squash(t).lower():
            return True
    return False


def _fix_particle(question: str, start: int, new: str) -> str:
    """Re-agree the particle right after a replaced word (은/는, 이/가, 을/를, 과/와)."""
    from .followup import _fix_particle as fix

    return question[:start] + new + fix(question[start + len(new):], new)


def _replace(question: str, old: str, new: str) -> str | None:
    at = question.find(old)
    if at < 0:
        return None
    swapped = question[:at] + new + question[at + len(old):]
    return _fix_particle(swapped, at, new)


def make_near_misses(questions: list[dict], documents: dict[str, str], name_pool: list[str],
                     corpus_countries: set[str], per_question: int = 1, prefix: str = "nm") -> list[dict]:
    """Near-miss rows (type ``near_miss``) derived from the answerable *questions*.

    *documents* maps document ids to their text; *name_pool* holds names the corpus
    mentions (a swapped-in name must exist in the corpus, or the question would only test
    "never mentioned"); *corpus_countries* the countries it mentions. Each row keeps its
    source's split, the source id and the swap (``kind``, ``asked``, ``corpus_has``).
    Deterministic: candidates are tried in a fixed order seeded by the question id.
    """
    from .tokenization import tokens_and_terms

    lex = lexicon()
    out: list[dict] = []
    for q in questions:
        if q["type"] in ("unanswerable", "near_miss", "summary") or not q["evidence"]:
            continue
        toks, _ = tokens_and_terms(q["question"])
        proper = [q["question"][t.start:t.start + t.len] for t in toks if t.tag.split("-")[0] in _NAME_TAGS]
        frame = frame_question(q["question"], toks, [(n, "core") for n in proper])
        if frame.expected.kind in ("date", "period"):
            continue  # its dates describe the event, they are not what a swap should change
        scope = evidence_scope(q["evidence"], documents)
        if not scope:
            continue
        nouns = {t.form for t in toks if t.tag in ("NNG", "NNP") and len(t.form) >= 2
                 and t.form not in proper}
        seed = int(hashlib.sha1(q["id"].encode()).hexdigest(), 16)
        made = 0
        for kind in SWAP_ORDER:
            if made >= per_question:
                break
            for c in (c for c in frame.constraints if c.kind == kind):
                new = _swap_value(c, kind, scope, name_pool, corpus_countries, seed, lex)
                if new is None:
                    continue
                asked_surface, new_surface = new
                text = _replace(q["question"], c.surface, new_surface)
                if not text or text == q["question"]:
                    continue
                if kind in ("country", "name") and _answered_elsewhere(new_surface, nouns, documents, lex):
                    continue
                out.append({"id": f"{prefix}-{q['id']}-{kind}", "type": "near_miss", "question": text, "answers": [],
                            "evidence": list(q["evidence"]), "split": q.get("split", "test"),
                            "swap": {"kind": kind, "asked": new_surface, "corpus_has": asked_surface},
                            "source": q["id"]})
                made += 1
                break
    return out


def _answered_elsewhere(value: str, nouns: set[str], documents: dict[str, str], lex) -> bool:
    """Could the swapped question be answered somewhere else? True when a passage that
    mentions the new *value* (or another name of it) also has half of the question's
    other nouns: "아랍에미리트 파견 부대의 인원" swapped in from a Somalia bill is the UAE
    bill's question."""
    names = {value}
    for table in (lex.countries, lex.places):
        for ns in table.values():
            if value in ns:
                names.update(ns)
    need = max(1, (len(nouns) + 1) // 2)
    for text in documents.values():
        flat = _squashed(text)
        for n in names:
            key = _squash(n)
            if len(key) < 2:
                continue
            start = 0
            while (at := flat.find(key, start)) >= 0:
                start = at + 1
                window = flat if len(flat) <= WHOLE_DOCUMENT_CHARS else flat[max(0, at - WINDOW): at + WINDOW]
                if sum(1 for x in nouns if x in window) >= need:
                    return True
                if len(flat) <= WHOLE_DOCUMENT_CHARS:
                    break
    return False


def _swap_value(c, kind: str, scope: list[str], name_pool: list[str], corpus_countries: set[str], seed: int,
                lex) -> tuple[str, str] | None:
    """``(old surface, new surface)`` for constraint *c*, or None when no safe value exists."""
    if kind == "year":
        y = int(c.value)
        for step in YEAR_STEPS:
            v = str(y + step)
            if not _value_in("year", v, scope):
                return c.surface, c.surface.replace(c.value, v, 1) if c.value in c.surface else f"{v}년"
        return None
    if kind == "month":
        m = int(c.value)
        for step in (1, -1, 2, -2, 3, -3, 4, -4, 6):
            v = (m - 1 + step) % 12 + 1
            if not _value_in("month", str(v), scope):
                return c.surface, f"{v}월"
        return None
    if kind == "country":
        options = sorted(corpus_countries - {c.value})
        if not options:
            return None
        for k in range(len(options)):
            v = options[(seed + k) % len(options)]
            if not _value_in("country", v, scope):
                return c.surface, v
        return None
    if kind == "name":
        if c.value not in name_pool:
            return None  # only a name of the pool's kind (a person) is swapped for another one
        options = [n for n in name_pool if n != c.value and len(n) == len(c.value)]
        for k in range(len(options)):
            v = options[(seed + k) % len(options)]
            if not _value_in("name", v, scope):
                return c.surface, v
        return None
    return None


def pairing_problems(questions: list[dict], documents: dict[str, str]) -> list[str]:
    """Near-miss rows whose swapped-in value *does* occur next to their evidence."""
    bad = []
    for q in questions:
        swap = q.get("swap")
        if q["type"] != "near_miss" or not swap or not q["evidence"]:
            continue
        kind, asked = swap["kind"], swap["asked"]
        scope = evidence_scope(q["evidence"], documents)
        if kind == "year":
            vals = years_in(asked)
            hit = any(_value_in("year", v, scope) for v in vals)
        elif kind == "month":
            hit = any(_value_in("month", v, scope) for v in months_in(asked))
        elif kind == "country":
            hit = any(_value_in("country", v, scope) for v in places_in("country", asked) or {asked})
        else:
            hit = _value_in("name", asked, scope)
        if hit:
            bad.append(f"{q['id']}: {kind} {asked!r} occurs next to its evidence")
    return bad
