"""Conversation evaluation: chains of turns scored by intent, and comparison tables scored
by aspect alignment (issue 27).

A chain file holds one conversation per line::

    {"id": "r-01", "split": "tune", "turns": [
        {"question": "일본의 재택근무 현황은?", "intent": "new", "searched": null, "key_terms": [],
         "type": "factoid", "answers": ["도장 문화"], "evidence": [], "abstain": false},
        {"question": "왜?", "intent": "why", "searched": null, "key_terms": [],
         "type": "why", "answers": [], "evidence": ["기술적 문제, 일중시 사회문화"], "abstain": false}]}

``intent`` is one of :data:`INTENTS`; ``searched`` is an example of the interpreted question
(null when the turn must be searched as typed); ``key_terms`` are what the interpreted question
must contain (``"원격근무|재택근무"`` accepts either spelling; ``answers`` may list alternatives
the same way); ``evidence`` are substrings of
the sentence a ``why``/``more`` answer must quote; ``abstain`` marks turns the documents do not
answer. Older chain lines (question, searched, type, answers only) still load: their intent is
``new`` when ``searched`` is null, else ``ellipsis``. A chain line may carry ``"legacy": true``
(the chains the follow-up floors of ``eval/floors.json`` were set on) and, for KorQuAD,
``"articles"``: the titles of the articles it is about.

A comparison file holds one request per line::

    {"id": "cmp-01", "split": "test", "question": "한국과 일본의 화상회의 이용 행태를 비교해줘",
     "entities": ["한국", "일본"],
     "aspects": [{"aspect": "증가 폭", "cells": {"한국": ["최대 34배"], "일본": ["최대 50배"]}}]}

An empty cell list means the documents say nothing about that entity for that aspect: the
answer's cell must then be empty or say "문서에 없음".

What this module reads from an answer object (``untact_qa.schema.Answer`` or anything with
the same attributes): ``searched_query``, ``text``, ``abstained``, ``citations`` (each with
``n``, ``passage`` and ``evidence``), ``kind``, and — when present — ``intent`` (one of
:data:`INTENTS`) and ``table`` (``{"columns": [...], "rows": [{"aspect": str, "cells":
{entity: {"text": str, "citation": n} | None}}]}``).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path

from .errors import ConfigError
from .scoring import UNANSWERED_TYPES, squash

INTENTS = ("new", "ellipsis", "reference", "why", "more", "summary", "comparison")
# what a turn's answer is scored as; why/more by the sentence they quote, summary by its key
# points, comparison and list by the share of their answers found
TURN_TYPES = ("factoid", "numeric", "date", "person", "list", "reason", "definition", "near_miss", "unanswerable",
              "why", "more", "summary", "comparison")
SPLITS = ("tune", "test")
REWRITTEN = frozenset({"ellipsis", "reference"})  # intents whose question is completed from the history
QUOTING = frozenset({"why", "more"})  # intents scored by the sentence they quote
NOT_IN_DOCUMENT = "문서에 없음"


# -- loading ------------------------------------------------------------------------------------
def _json_lines(path: Path):
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except ValueError as exc:
                raise ConfigError(f"{path}:{n}: not valid JSON ({exc})") from exc


def _strings(x) -> bool:
    return isinstance(x, list) and all(isinstance(s, str) and s.strip() for s in x)


def normalize_turn(turn: dict, where: str = "turn") -> dict:
    """*turn* with every key of the current schema filled in (older lines lack intent,
    key_terms, evidence and abstain); a ConfigError names what is wrong."""
    if not isinstance(turn, dict) or not isinstance(turn.get("question"), str) or not turn["question"].strip():
        raise ConfigError(f"{where}: a turn needs a non-empty 'question'")
    t = dict(turn)
    t.setdefault("searched", None)
    t.setdefault("intent", "new" if t["searched"] is None else "ellipsis")
    t.setdefault("type", "factoid")
    t.setdefault("answers", [])
    t.setdefault("key_terms", [])
    t.setdefault("evidence", [])
    t.setdefault("abstain", t["type"] in UNANSWERED_TYPES)
    if t["intent"] not in INTENTS:
        raise ConfigError(f"{where}: intent {t['intent']!r} is not one of {', '.join(INTENTS)}")
    if t["type"] not in TURN_TYPES:
        raise ConfigError(f"{where}: type {t['type']!r} is not one of {', '.join(TURN_TYPES)}")
    for key in ("answers", "key_terms", "evidence"):
        if not _strings(t[key]):
            raise ConfigError(f"{where}: {key} must be a list of non-empty strings")
    if t["searched"] is not None and not (isinstance(t["searched"], str) and t["searched"].strip()):
        raise ConfigError(f"{where}: searched must be null or a non-empty string")
    if not isinstance(t["abstain"], bool):
        raise ConfigError(f"{where}: abstain must be true or false")
    if t["type"] in UNANSWERED_TYPES and not t["abstain"]:
        raise ConfigError(f"{where}: a {t['type']} turn must have abstain: true")
    if t["intent"] in REWRITTEN and not t["key_terms"]:
        raise ConfigError(f"{where}: an {t['intent']} turn needs key_terms")
    if t["intent"] == "new" and t["searched"] is not None:
        raise ConfigError(f"{where}: a new question is searched as typed: searched must be null")
    if not t["abstain"]:
        if t["type"] in QUOTING and not t["evidence"]:
            raise ConfigError(f"{where}: a {t['type']} turn needs evidence (the sentence it must quote)")
        if t["type"] == "summary" and not (t["evidence"] or t.get("key_points")):
            raise ConfigError(f"{where}: a summary turn needs evidence or key_points")
        if t["type"] not in QUOTING | {"summary"} and not t["answers"]:
            raise ConfigError(f"{where}: an answerable {t['type']} turn needs answers")
    return t


def load_dialog_chains(path: Path) -> list[dict]:
    """Chains of *path*, validated, every turn normalised (see :func:`normalize_turn`); a chain
    without a ``split`` gets the parity of its position (older files)."""
    chains, seen = [], set()
    for n, c in _json_lines(path):
        if not isinstance(c, dict) or not isinstance(c.get("turns"), list) or not c["turns"]:
            raise ConfigError(f"{path}:{n}: a chain needs a non-empty list of 'turns'")
        cid = c.get("id") or f"chain-{n:02d}"
        if cid in seen:
            raise ConfigError(f"{path}:{n}: duplicate chain id {cid!r}")
        seen.add(cid)
        split = c.get("split", SPLITS[len(chains) % 2])
        if split not in SPLITS:
            raise ConfigError(f"{path}:{n}: split {split!r} is not one of {', '.join(SPLITS)}")
        turns = [normalize_turn(t, f"{path}:{n} turn {k}") for k, t in enumerate(c["turns"])]
        chains.append({**c, "id": cid, "split": split, "turns": turns})
    return chains


def load_comparisons(path: Path) -> list[dict]:
    """Comparison requests of *path*, validated (see the module docstring)."""
    items, seen = [], set()
    for n, c in _json_lines(path):
        where = f"{path}:{n}"
        if not isinstance(c, dict) or not {"id", "split", "question", "entities", "aspects"} <= set(c):
            raise ConfigError(f"{where}: needs id, split, question, entities and aspects")
        if c["id"] in seen:
            raise ConfigError(f"{where}: duplicate id {c['id']!r}")
        seen.add(c["id"])
        if c["split"] not in SPLITS:
            raise ConfigError(f"{where}: split {c['split']!r} is not one of {', '.join(SPLITS)}")
        if not _strings(c["entities"]) or len(c["entities"]) < 2:
            raise ConfigError(f"{where}: entities must name at least two things")
        if not isinstance(c["aspects"], list) or not c["aspects"]:
            raise ConfigError(f"{where}: aspects must be a non-empty list")
        for a in c["aspects"]:
            cells = a.get("cells") if isinstance(a, dict) else None
            if not isinstance(a.get("aspect"), str) or not isinstance(cells, dict) or set(cells) != set(c["entities"]):
                raise ConfigError(f"{where}: every aspect needs a name and one cell per entity")
            if not all(isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v)
                       for v in cells.values()):
                raise ConfigError(f"{where}: a cell is a list of substrings ([] when the documents are silent)")
            if not any(cells.values()):
                raise ConfigError(f"{where}: aspect {a['aspect']!r} has no filled cell")
        items.append(c)
    return items


# -- scoring one turn -------------------------------------------------------------------------------
def _same(a: str, b: str) -> bool:
    """Equal up to whitespace and Unicode normal form (what ``clean_query`` may change)."""
    return squash(unicodedata.normalize("NFC", a)) == squash(unicodedata.normalize("NFC", b))


def _has_term(text: str, term: str) -> bool:
    """Does *text* contain *term* (alternatives separated by ``|``), ignoring whitespace and case?"""
    t = squash(unicodedata.normalize("NFC", text)).lower()
    return any(squash(unicodedata.normalize("NFC", alt)).lower() in t for alt in term.split("|") if alt.strip())


def _quotes(answer) -> list[str]:
    """The quoted sentence(s) of each citation (the whole passage when there is no quote)."""
    out = []
    for c in getattr(answer, "citations", ()) or ():
        q = getattr(c, "evidence", None)
        out.append(q if q else getattr(c, "passage", ""))
    return out


def observed_intent(answer, question: str) -> str:
    """The answer's own ``intent`` when it has one; else what can be seen from outside: a
    summary or comparison by its ``kind``, ``new`` when it was searched as typed, else
    ``rewritten`` (an ellipsis or reference completion; why/more cannot be told apart)."""
    intent = getattr(answer, "intent", None)
    if intent:
        return intent
    kind = getattr(answer, "kind", "")
    if kind in ("summary", "comparison"):
        return kind
    return "new" if _same(getattr(answer, "searched_query", "") or question, question) else "rewritten"


def interpretation_ok(turn: dict, answer) -> tuple[bool, list[str]]:
    """Was *turn* interpreted as intended? ``(ok, key terms missing from the searched
    question)``. new: that intent and searched exactly as typed; ellipsis/reference: that
    intent (``rewritten`` when the answer has no ``intent``) and every key term in the searched
    question; why/more: that intent (so never without an ``intent`` attribute); summary and
    comparison: that intent (or answer kind) and their key terms, if any."""
    searched = getattr(answer, "searched_query", "") or turn["question"]
    got = observed_intent(answer, turn["question"])
    want = turn["intent"]
    missing = [k for k in turn["key_terms"] if not _has_term(searched, k)]
    if want == "new":
        return got == "new" and _same(searched, turn["question"]), []
    if want in REWRITTEN:
        right = got == want or (got == "rewritten" and not getattr(answer, "intent", None))
        return right and not missing, missing
    if want in QUOTING:
        return got == want, []
    return got == want and not missing, missing


def turn_answer_score(turn: dict, answer, previous_quotes: list[str] = ()) -> tuple[float, dict]:
    """Score of *answer* for *turn*, with diagnostics. Abstention turns: 1 when it abstained.
    why/more: 1 when a quoted sentence holds an evidence substring (more: and no quote repeats
    one of the previous answer's, *previous_quotes*; ``gold_already_quoted`` in the
    diagnostics when every evidence string was among those, a gold no answer can meet).
    summary: the share of key points quoted. comparison and list: the share of answers
    found. Other types: 1 when an answer is found."""
    abstained = bool(getattr(answer, "abstained", False))
    info: dict = {}
    if turn["abstain"]:
        return float(abstained), info
    before = {squash(q) for q in previous_quotes if q}
    if turn["type"] == "more":
        # a gold whose every evidence string the previous answer had quoted already asks for
        # a repeat, which more must not give: no answer can score it (counted apart)
        info["gold_already_quoted"] = bool(turn["evidence"]) and all(
            any(squash(ev) in b for b in before) for ev in turn["evidence"])
    if abstained:
        return 0.0, info
    text = squash(getattr(answer, "text", "") or "")
    kind = turn["type"]
    if kind in QUOTING:
        quotes = _quotes(answer)
        hits = [q for q in quotes if any(squash(ev) in squash(q) for ev in turn["evidence"])]
        # (a sentence of a quote the previous answer gave whole is a repeat too)
        repeated = [q for q in quotes if any(squash(q) in b for b in before)]
        info.update({"cites_evidence": bool(hits), "repeated": len(repeated)})
        if kind == "more":
            fresh = [q for q in hits if not any(squash(q) in b for b in before)]
            return float(bool(fresh) and not repeated), info
        return float(bool(hits)), info
    if kind == "summary":
        points = turn.get("key_points") or [[e] for e in turn["evidence"]]
        return sum(1 for p in points if any(squash(x) in text for x in p)) / len(points), info
    found = [a for a in turn["answers"] if any(squash(alt) in text for alt in a.split("|") if alt.strip())]
    if kind in ("comparison", "list"):
        return len(found) / len(turn["answers"]), info
    return float(bool(found)), info


def _script(text: str) -> str:
    """``ko`` for a question with Hangul, else ``other`` (English, Chinese…)."""
    return "ko" if re.search(r"[가-힣]", text) else "other"


HISTORY_FORMS = ("turns", "pairs")


def _remember(history: list, answer, form: str) -> None:
    """Add a turn to *history* the way the chat page keeps it (``ui_render.history_for_followups``):
    ``turns``: every turn, answered or not (the answers themselves, which ``dialog.as_priors``
    reads); ``pairs``: (searched question, answer text) of answered turns only (the page before
    issue 27, and the engine that only takes pairs). Change this with the chat page."""
    if form == "turns":
        history.append(answer)
    elif not answer.abstained:
        history.append((answer.searched_query, answer.text))


# -- whole suites -------------------------------------------------------------------------------------
def evaluate_dialog(engine, chains: list[dict], mode: str = "hybrid",
                    history: str = "turns") -> tuple[list[dict], dict]:
    """Ask each chain's turns in order with the history the chat UI keeps (*history*: see
    :func:`_remember`); score interpretation and answer of every turn. Returns (rows,
    ``{"all" | "tune" | "test": metrics}``)."""
    if history not in HISTORY_FORMS:
        raise ValueError(f"history must be one of {HISTORY_FORMS}, got {history!r}")
    form = history
    rows = []
    for chain in chains:
        chain = {**chain, "turns": [normalize_turn(t, chain.get("id", "chain")) for t in chain["turns"]]}
        kept: list = []
        previous_quotes: list[str] = []
        previous_question = None
        for k, turn in enumerate(chain["turns"]):
            t0 = time.perf_counter()
            a = engine.ask(turn["question"], mode=mode, top_k=10, history=kept or None)
            ms = (time.perf_counter() - t0) * 1000
            ok, missing = interpretation_ok(turn, a)
            score, info = turn_answer_score(turn, a, previous_quotes)
            searched = getattr(a, "searched_query", "") or turn["question"]
            rows.append({
                "id": f"{chain['id']}#{k}", "chain": chain["id"], "turn": k, "split": chain.get("split", "test"),
                "question": turn["question"], "intent": turn["intent"],
                "observed_intent": observed_intent(a, turn["question"]), "searched": searched,
                "expected_searched": turn["searched"] or turn["question"], "key_terms_missing": missing,
                "interpretation_ok": ok, "rewritten": not _same(searched, turn["question"]),
                "language_switch": previous_question is not None and
                _script(turn["question"]) != _script(previous_question),
                "type": turn["type"], "abstain": turn["abstain"], "answer": a.text, "abstained": a.abstained,
                "kind": getattr(a, "kind", ""), "quotes": _quotes(a), "answer_score": round(score, 4), **info,
                "latency_ms": round(ms, 2)})
            previous_question = turn["question"]
            _remember(kept, a, form)
            if not a.abstained:
                previous_quotes = _quotes(a)
    return rows, dialog_metrics(rows)


def _mean(xs) -> float | None:
    xs = list(xs)
    return round(sum(xs) / len(xs), 4) if xs else None


def _dialog_metrics(rows: list[dict]) -> dict:
    follow = [r for r in rows if r["turn"] > 0]
    out = {
        "dialog_turns": len(rows), "dialog_followup_turns": len(follow),
        "dialog_interpretation_accuracy": _mean(float(r["interpretation_ok"]) for r in rows),
        "dialog_followup_interpretation_accuracy": _mean(float(r["interpretation_ok"]) for r in follow),
        "dialog_answer_accuracy": _mean(r["answer_score"] for r in rows),
        "dialog_followup_answer_accuracy": _mean(r["answer_score"] for r in follow),
        "dialog_complete_rewritten": sum(1 for r in rows if r["intent"] == "new" and r["rewritten"]),
        "dialog_near_miss_abstention": _mean(float(r["abstained"]) for r in rows if r["type"] == "near_miss"),
        "dialog_language_switch_accuracy": _mean(r["answer_score"] for r in rows if r["language_switch"]),
    }
    more = [r for r in rows if r["type"] == "more" and not r["abstain"]]
    out["dialog_more_gold_already_quoted"] = sum(1 for r in more if r.get("gold_already_quoted"))
    out["dialog_more_attainable_accuracy"] = _mean(r["answer_score"] for r in more if not r.get("gold_already_quoted"))
    for intent in INTENTS:
        mine = [r for r in rows if r["intent"] == intent]
        out[f"dialog_{intent}_accuracy"] = _mean(r["answer_score"] for r in mine)
        out[f"dialog_{intent}_interpretation_accuracy"] = _mean(float(r["interpretation_ok"]) for r in mine)
    return out


def dialog_metrics(rows: list[dict]) -> dict[str, dict]:
    """Metrics of scored turn rows: ``{"all": …, "tune": …, "test": …}`` (a half only when
    it has rows)."""
    out = {"all": _dialog_metrics(rows)}
    for split in SPLITS:
        part = [r for r in rows if r["split"] == split]
        if part:
            out[split] = _dialog_metrics(part)
    return out


# -- comparison tables -----------------------------------------------------------------------------------
def _cell_quote(cell, citations: dict) -> tuple[str, str] | None:
    """``(cell text, quoted sentence of its citation)``, or None for an empty cell."""
    if not cell:
        return None
    if isinstance(cell, str):
        return cell, ""
    text = cell.get("text") or ""
    c = citations.get(cell.get("citation"))
    quote = (getattr(c, "evidence", None) or getattr(c, "passage", "")) if c is not None else ""
    return text, quote


def _cell_matches(gold: list[str], cell, citations: dict) -> bool:
    """A gold cell with substrings matches a cell whose cited sentence holds one of them (or
    whose text holds one that its cited passage holds too); an empty gold cell matches an
    empty cell or one that says the documents are silent."""
    got = _cell_quote(cell, citations)
    if not gold:
        return got is None or squash(NOT_IN_DOCUMENT) in squash(got[0]) or not got[0].strip()
    if got is None:
        return False
    text, quote = got
    for g in gold:
        sg = squash(g)
        if sg in squash(quote):
            return True
        c = citations.get(cell.get("citation")) if isinstance(cell, dict) else None
        if c is not None and sg in squash(text) and sg in squash(getattr(c, "passage", "")):
            return True
    return False


def align_table(item: dict, table: dict | None, citations) -> list[dict]:
    """For each gold aspect of *item*: the table row that matches it (every entity's cell,
    see :func:`_cell_matches`), each row used once. Rows ``{"aspect", "row" | None}``."""
    by_n = {getattr(c, "n", None): c for c in citations or ()}
    rows = list((table or {}).get("rows") or [])
    used: set[int] = set()
    out = []
    for gold in item["aspects"]:
        match = None
        for i, row in enumerate(rows):
            cells = row.get("cells") or {}
            if i not in used and all(_cell_matches(gold["cells"][e], cells.get(e), by_n) for e in item["entities"]):
                match = i
                break
        if match is not None:
            used.add(match)
        out.append({"aspect": gold["aspect"], "row": None if match is None else rows[match].get("aspect", "")})
    return out


def evaluate_comparisons(engine, items: list[dict], mode: str = "hybrid") -> tuple[list[dict], dict]:
    """Ask each comparison request; score the answer's ``table`` (0 when there is none) by
    aspect alignment: the share of gold aspects present as a row whose cells cite a sentence
    holding the gold cell (an empty gold cell: "문서에 없음" or no cell). Returns (rows,
    ``{"all" | "tune" | "test": {"comparison_alignment", "comparison_items"}}``)."""
    rows = []
    for item in items:
        t0 = time.perf_counter()
        a = engine.ask(item["question"], mode=mode, top_k=10)
        ms = (time.perf_counter() - t0) * 1000
        table = getattr(a, "table", None)
        aligned = align_table(item, table, getattr(a, "citations", ()))
        score = sum(1 for x in aligned if x["row"] is not None) / len(aligned)
        rows.append({"id": item["id"], "split": item["split"], "question": item["question"],
                     "has_table": bool(table), "aligned": aligned, "comparison_alignment": round(score, 4),
                     "answer": a.text, "abstained": a.abstained, "kind": getattr(a, "kind", ""),
                     "table": table, "latency_ms": round(ms, 2)})
    out = {}
    for split in ("all", *SPLITS):
        part = [r for r in rows if split == "all" or r["split"] == split]
        if part:
            out[split] = {"comparison_alignment": _mean(r["comparison_alignment"] for r in part),
                          "comparison_items": len(part)}
    return rows, out


def legacy_chains(chains: list[dict]) -> list[dict]:
    """The chains marked ``"legacy": true``: the ones the follow-up floors (exact-string
    rewrite accuracy) were set on, still scored the old way so those floors keep their meaning."""
    return [c for c in chains if c.get("legacy")]


def run_dialog(engine, folder: Path, config: dict, out: Path, mode: str = "hybrid",
               history: str = "turns") -> dict[str, dict]:
    """A suite's conversation evaluation: its ``chains`` (and ``comparisons``, if any) from
    *config* (paths relative to *folder*); writes ``dialog.jsonl`` and ``comparisons.jsonl``
    into *out*; returns the metrics per split (``all``, ``tune``, ``test``)."""
    import sys

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    merged: dict[str, dict] = {}
    if config.get("chains"):
        chains = load_dialog_chains(Path(folder) / config["chains"])
        print(f"Dialog: {len(chains)} chains, {sum(len(c['turns']) for c in chains)} turns", file=sys.stderr)
        rows, metrics = evaluate_dialog(engine, chains, mode, history)
        _write(out / "dialog.jsonl", rows)
        for split, vals in metrics.items():
            merged.setdefault(split, {}).update(vals)
    if config.get("comparisons"):
        items = load_comparisons(Path(folder) / config["comparisons"])
        print(f"Dialog: {len(items)} comparison requests", file=sys.stderr)
        rows, metrics = evaluate_comparisons(engine, items, mode)
        _write(out / "comparisons.jsonl", rows)
        for split, vals in metrics.items():
            merged.setdefault(split, {}).update(vals)
    return merged


def _write(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
