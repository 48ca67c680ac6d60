"""Evaluation: run the real system on a question file and score retrieval and answers.

Question file (JSON lines, exactly these keys)::

    {"id": "...", "type": "numeric|factoid|list|reason|comparison|definition|unanswerable",
     "question": "...", "answers": ["accepted answer strings"], "evidence": ["source substrings"]}

Matching ignores whitespace. A passage is *gold* when it contains an evidence string.
Metrics use the standard IR names: Hit@k, MRR@10, nDCG@10 (binary relevance).
"""

from __future__ import annotations

import json
import math
import re
import statistics
import sys
import time
from pathlib import Path

from .config import MODES, Settings
from .errors import ConfigError
from .scoring import UNANSWERED_TYPES, holds_answer, holds_evidence, korquad_em, korquad_f1, percentile, squash

TYPES = ("numeric", "factoid", "list", "reason", "comparison", "definition", "unanswerable", "near_miss", "summary")
KEYS = {"id", "type", "question", "answers", "evidence"}
# split: "tune" | "test" (see untact_qa.suites.split_of); swap/source: how a near-miss was
# made from an answerable question; key_points: a summary's points, each a list of
# alternative source sentences; compare: the two sides of a comparison request
OPTIONAL_KEYS = {"split", "swap", "source", "key_points", "compare"}
METRICS = ("hit@1", "hit@5", "mrr@10", "ndcg@10", "answer_accuracy", "citation_support",
           "abstention_accuracy", "near_miss_abstention", "false_abstain_rate", "expected_type_share",
           "summary_coverage", "span_em", "span_f1", "median_answer_chars", "latency_p50_ms", "latency_p95_ms")
# Lower is better for these; every other metric has a floor instead of a ceiling.
LOWER_IS_BETTER = {"false_abstain_rate", "median_answer_chars", "latency_p50_ms", "latency_p95_ms"}


def _json_lines(path: Path):
    """``(line number, value)`` of every non-blank line of a JSON-lines file; a line that is
    not JSON is a ConfigError naming it."""
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except ValueError as exc:
            raise ConfigError(f"{path}:{n}: not valid JSON ({exc})") from exc


def load_questions(path: Path) -> list[dict]:
    """Read and validate a question file; errors name the line and the bad value."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"question file {path} not found; pass --questions FILE")
    out, seen = [], set()
    for n, q in _json_lines(path):
        if not isinstance(q, dict) or not KEYS <= set(q) <= KEYS | OPTIONAL_KEYS:
            got = sorted(q) if isinstance(q, dict) else type(q).__name__
            raise ConfigError(f"{path}:{n}: keys must be exactly {sorted(KEYS)} (optionally {sorted(OPTIONAL_KEYS)}), "
                              f"got {got}")
        if q["type"] not in TYPES:
            raise ConfigError(f"{path}:{n}: type {q['type']!r} is not one of {', '.join(TYPES)}")
        if q["id"] in seen:
            raise ConfigError(f"{path}:{n}: duplicate id {q['id']!r}")
        seen.add(q["id"])
        if not isinstance(q["question"], str) or not q["question"].strip():
            raise ConfigError(f"{path}:{n}: empty question")
        for key in ("answers", "evidence"):
            if not isinstance(q[key], list) or not all(isinstance(x, str) and x.strip() for x in q[key]):
                raise ConfigError(f"{path}:{n}: {key} must be a list of non-empty strings")
        no_answers = q["type"] in UNANSWERED_TYPES or q["type"] == "summary"
        if no_answers != (not q["answers"]):
            raise ConfigError(f"{path}:{n}: answers must be empty exactly when type is unanswerable, near_miss or "
                              f"summary (got type {q['type']!r} with {len(q['answers'])} answers)")
        if q["type"] != "unanswerable" and q["type"] != "near_miss" and not q["evidence"]:
            raise ConfigError(f"{path}:{n}: an answerable question needs at least one evidence string")
        if q["type"] == "summary":
            points = q.get("key_points") or [[e] for e in q["evidence"]]
            if not all(isinstance(p, list) and p and all(isinstance(x, str) and x.strip() for x in p) for p in points):
                raise ConfigError(f"{path}:{n}: key_points must be a list of non-empty lists of strings")
        from .suites import split_of

        q = {**q, "split": split_of(q)}
        out.append(q)
    if not out:
        raise ConfigError(f"{path} has no questions")
    return out


def missing_evidence(questions: list[dict], corpus_texts: list[str]) -> list[str]:
    """Evidence strings that occur in no corpus document (should be empty)."""
    hay = [squash(t) for t in corpus_texts]
    return [f"{q['id']}: {ev!r}" for q in questions for ev in q["evidence"]
            if not any(squash(ev) in h for h in hay)]


def answer_score(q: dict, answer_text: str, abstained: bool) -> float:
    """1/0 for most types; the fraction of items found for ``list`` questions; for a
    ``summary``, the share of its key points quoted (any alternative of a point counts)."""
    if q["type"] in UNANSWERED_TYPES:
        return float(abstained)
    if abstained:
        return 0.0
    text = squash(answer_text)
    if q["type"] == "summary":
        points = q.get("key_points") or [[e] for e in q["evidence"]]
        return sum(1 for p in points if any(squash(x) in text for x in p)) / len(points)
    found = [a for a in q["answers"] if squash(a) in text]
    if q["type"] == "list":
        return len(found) / len(q["answers"])
    return float(bool(found))


def _dcg(rels: list[int]) -> float:
    return sum(r / math.log2(i + 2) for i, r in enumerate(rels))


def evaluate_mode(engine, questions: list[dict], mode: str) -> tuple[list[dict], dict]:
    """Ask every question in *mode*; return (prediction rows, metrics)."""
    squashed = [squash(r.chunk.text) for r in engine.index.iter_records()]
    n_gold_total = {i: 0 for i in range(len(questions))}
    for i, q in enumerate(questions):
        if q["evidence"]:
            evs = [squash(ev) for ev in q["evidence"]]
            n_gold_total[i] = sum(1 for c in squashed if any(ev in c for ev in evs))
    rows, lat = [], []
    for i, q in enumerate(questions):
        t = time.perf_counter()
        a = engine.ask(q["question"], mode=mode, top_k=10)
        lat.append((time.perf_counter() - t) * 1000)
        passages = [{"rank": h.rank, "text": h.chunk.text, "score": round(float(h.score), 6),
                     "chunk_id": h.chunk.chunk_id, "doc": h.chunk.doc_id} for h in a.hits[:10]]
        scored = q["evidence"] and q["type"] not in UNANSWERED_TYPES and q["type"] != "summary"
        rels = [int(holds_evidence(q, p["text"])) for p in passages] if scored else []
        first = next((k for k, r in enumerate(rels, 1) if r), None)
        ideal = _dcg([1] * min(n_gold_total[i], 10))
        cited = [c.passage for c in a.citations]
        support = None
        if q["type"] not in UNANSWERED_TYPES and q["type"] != "summary" and not a.abstained:
            support = float(any(holds_evidence(q, p) or holds_answer(q, p) for p in cited))
        plain = re.sub(r" ?\[\d+\]", "", a.text)
        phrase = a.text[a.span[0]:a.span[1]] if a.span else None
        rows.append({
            "id": q["id"], "question": q["question"], "answer": a.text, "abstained": a.abstained,
            "citations": [{"n": c.n, "text": c.passage, "doc": c.doc_id, "lines": [c.line_start, c.line_end],
                           "chunk_id": c.chunk_id, "evidence": c.evidence, "heading": c.heading}
                          for c in a.citations],
            "passages": passages,
            # scoring columns (extra keys; the ones above are the public contract)
            "mode": mode, "type": q["type"], "split": q.get("split", "test"), "reason": a.reason,
            "confidence": round(a.confidence, 4),
            "gold_rank": first, "ndcg@10": (_dcg(rels) / ideal) if ideal and scored else (0.0 if scored else None),
            "answer_score": answer_score(q, a.text, a.abstained), "citation_support": support,
            "answer_chars": len(plain), "latency_ms": round(lat[-1], 2),
            "kind": a.kind, "expected_type": a.expected_type, "span": phrase,
            **_span_scores(q, a, phrase), "marked": bool(phrase),
            "type_held": None if a.abstained else holds_expected_type(a.expected_type, plain, q["question"]),
            "closest": None if a.closest is None else {
                "answer": a.closest.text, "mismatches": [list(m) for m in a.closest.mismatches],
                "cites_evidence": any(holds_evidence(q, c.passage) for c in a.closest.citations) if q["evidence"] else None},
        })
    return rows, _metrics(rows, lat)


# What the expected-type diagnostic looks for, independent of the answerer's own checks:
# a numeric answer holds a number, a date answer a date or era, a person answer a name.
NUMERIC_EXPECTED = frozenset({"count", "amount", "rate", "number", "change", "period"})
_HAS_NUMBER = re.compile(r"\d|[한두세네]\s*(명|개|곳|배)|절반|(?<![가-힣])(첫|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*번째")
_HAS_DATE = re.compile(r"\d{4}|\d{1,2}\s*[월일]|\d+\s*(년|세기)|시대|시절|때|무렵|날부터|날로부터|올해|지난해|작년|이듬해|"
                       r"초기|중기|후기|말기|전기")


def _span_scores(q: dict, a, phrase: str | None) -> dict:
    """KorQuAD v1.0 EM and F1 of the answer phrase (the bolded span) against the best gold
    answer, for an answered answerable question (no phrase scores 0); else None."""
    if q["type"] in UNANSWERED_TYPES or q["type"] == "summary" or a.abstained or not q["answers"]:
        return {"span_em": None, "span_f1": None}
    if not phrase:
        return {"span_em": 0.0, "span_f1": 0.0}
    return {"span_em": max(korquad_em(phrase, g) for g in q["answers"]),
            "span_f1": round(max(korquad_f1(phrase, g) for g in q["answers"]), 4)}


def holds_expected_type(expected: str, answer: str, question: str) -> bool | None:
    """Does *answer* hold a phrase of the type its question asks for? ``None`` for types the
    diagnostic does not cover (only numeric, date and person answers are checked)."""
    if expected in NUMERIC_EXPECTED:
        return bool(_HAS_NUMBER.search(answer))
    if expected == "date":
        return bool(_HAS_DATE.search(answer))
    if expected == "person":
        from .tokenization import kiwi

        asked = {t.form for t in kiwi().tokenize(question)}
        return any(t.tag in ("NNP", "SL", "SH") and t.form not in asked for t in kiwi().tokenize(answer)) or \
            any(t.tag == "NNG" and t.form not in asked for t in kiwi().tokenize(answer))
    return None


def load_chains(path: Path) -> list[dict]:
    """Follow-up chains: ``{"id", "turns": [{"question", "searched", "type", "answers"}]}``
    per line; ``searched`` is the expected completed question, or null when the turn must
    be searched as written."""
    chains = []
    for n, c in _json_lines(path):
        turns = c.get("turns") if isinstance(c, dict) else None
        if not turns or not all({"question", "searched", "type", "answers"} <= set(t) for t in turns):
            raise ConfigError(f"{path}:{n}: a chain needs 'turns' with question, searched, type and answers")
        chains.append(c)
    return chains


def evaluate_chains(engine, chains: list[dict], mode: str = "hybrid") -> tuple[list[dict], dict]:
    """Ask each chain's turns in order with the history the chat UI keeps (the searched
    question and answer of every turn that was not abstained); score whether each turn was
    completed (or left alone) as expected, and its answer."""
    rows = []
    for chain in chains:
        history: list[tuple[str, str]] = []
        for k, turn in enumerate(chain["turns"]):
            a = engine.ask(turn["question"], mode=mode, top_k=10, history=history or None)
            want = turn["searched"] or turn["question"]
            q = {"type": turn["type"], "answers": turn["answers"], "evidence": []}
            rows.append({"id": f"{chain['id']}#{k}", "question": turn["question"], "searched": a.searched_query,
                         "expected_searched": want, "rewrite_ok": squash(a.searched_query) == squash(want),
                         "answer": a.text, "abstained": a.abstained, "type": turn["type"],
                         "answer_score": answer_score(q, a.text, a.abstained)})
            if not a.abstained:
                history.append((a.searched_query, a.text))
    n = len(rows) or 1
    return rows, {"followup_turns": len(rows),
                  "followup_rewrite_accuracy": round(sum(r["rewrite_ok"] for r in rows) / n, 4),
                  "followup_answer_accuracy": round(sum(r["answer_score"] for r in rows) / n, 4)}


def _metrics(rows: list[dict], lat: list[float]) -> dict:
    ans = [r for r in rows if r["type"] not in UNANSWERED_TYPES and r["type"] != "summary"]
    una = [r for r in rows if r["type"] == "unanswerable"]
    near = [r for r in rows if r["type"] == "near_miss"]
    summ = [r for r in rows if r["type"] == "summary"]
    answered = [r for r in ans if not r["abstained"]]
    typed = [r for r in answered if r.get("type_held") is not None]
    marked = any(r.get("marked") for r in answered)

    def mean(xs):
        xs = list(xs)
        return round(sum(xs) / len(xs), 4) if xs else None

    lat_sorted = sorted(lat)
    return {
        "questions": len(rows), "answerable": len(ans), "unanswerable": len(una), "near_miss": len(near),
        "summary": len(summ),
        "hit@1": mean(int(r["gold_rank"] == 1) for r in ans),
        "hit@5": mean(int(bool(r["gold_rank"]) and r["gold_rank"] <= 5) for r in ans),
        "mrr@10": mean((1 / r["gold_rank"]) if r["gold_rank"] else 0.0 for r in ans),
        "ndcg@10": mean(r["ndcg@10"] for r in ans),
        "answer_accuracy": mean(r["answer_score"] for r in ans),
        "citation_support": mean(r["citation_support"] for r in answered),
        "abstention_accuracy": mean(float(r["abstained"]) for r in una),
        "near_miss_abstention": mean(float(r["abstained"]) for r in near),
        "false_abstain_rate": mean(float(r["abstained"]) for r in ans),
        "expected_type_share": mean(float(r["type_held"]) for r in typed),
        "summary_coverage": mean(r["answer_score"] for r in summ),
        # None when no answer marked a phrase at all (the hand-built reader marks none): a 0
        # would read as a reader that always misses
        "span_em": mean(r["span_em"] for r in answered if r.get("span_em") is not None) if marked else None,
        "span_f1": mean(r["span_f1"] for r in answered if r.get("span_f1") is not None) if marked else None,
        "median_answer_chars": statistics.median(r["answer_chars"] for r in answered) if answered else None,
        "latency_p50_ms": round(percentile(lat_sorted, 50), 2),
        "latency_p95_ms": round(percentile(lat_sorted, 95), 2),
    }


def per_type(rows: list[dict]) -> dict[str, dict]:
    """Answer accuracy (abstention accuracy for unanswerable), Hit@5 and MRR@10 per type."""
    out = {}
    for t in TYPES:
        rs = [r for r in rows if r["type"] == t]
        if not rs:
            continue
        entry = {"n": len(rs), "accuracy": round(sum(r["answer_score"] for r in rs) / len(rs), 4)}
        if t not in UNANSWERED_TYPES and t != "summary":
            entry["hit@5"] = round(sum(1 for r in rs if r["gold_rank"] and r["gold_rank"] <= 5) / len(rs), 4)
            entry["mrr@10"] = round(sum(1 / r["gold_rank"] for r in rs if r["gold_rank"]) / len(rs), 4)
        out[t] = entry
    return out


def check_floors(metrics: dict[str, dict], floors: dict[str, dict]) -> list[str]:
    """Metrics below their floor (above their ceiling for lower-is-better ones), named."""
    failures = []
    for mode, limits in floors.items():
        if mode.startswith("_") or mode not in metrics:
            continue
        for name, limit in limits.items():
            value = metrics[mode].get(name)
            if value is None:
                failures.append(f"{mode} {name}: not measured")
            elif name in LOWER_IS_BETTER and value > limit:
                failures.append(f"{mode} {name} = {value} is above its ceiling {limit}")
            elif name not in LOWER_IS_BETTER and value < limit:
                failures.append(f"{mode} {name} = {value} is below its floor {limit}")
    return failures


# -- report ----------------------------------------------------------------------------
def write_chart(metrics: dict[str, dict], types: dict[str, dict], path: Path) -> None:
    """Bar charts: headline metrics per mode, and accuracy per question type per mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    modes = list(metrics)
    names = ["hit@1", "hit@5", "mrr@10", "ndcg@10", "answer_accuracy", "citation_support", "abstention_accuracy"]
    qtypes = [t for t in TYPES if any(t in types[m] for m in modes)]
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.8))
    width = 0.8 / len(modes)
    for j, m in enumerate(modes):
        xs = [i + j * width for i in range(len(names))]
        axes[0].bar(xs, [metrics[m].get(n) or 0 for n in names], width, label=m)
        xs = [i + j * width for i in range(len(qtypes))]
        axes[1].bar(xs, [types[m].get(t, {}).get("accuracy", 0) for t in qtypes], width, label=m)
    axes[0].set_xticks([i + width * (len(modes) - 1) / 2 for i in range(len(names))], names, rotation=30, ha="right")
    axes[1].set_xticks([i + width * (len(modes) - 1) / 2 for i in range(len(qtypes))], qtypes, rotation=30, ha="right")
    axes[0].set_title("Retrieval and answer metrics per mode")
    axes[1].set_title("Answer accuracy per question type (unanswerable: abstention)")
    for ax in axes:
        ax.set_ylim(0, 1.18)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="upper center", ncol=len(modes), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if v <= 1.0 else f"{v:.1f}"
    return str(v)


def _mode_table(metrics: dict) -> list[str]:
    cols = list(METRICS)
    lines = ["| mode | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for m, vals in metrics.items():
        lines.append(f"| {m} | " + " | ".join(_fmt(vals.get(c)) for c in cols) + " |")
    return lines


def write_report(out: Path, metrics: dict, types: dict, rows_by_mode: dict, meta: dict,
                 splits: dict | None = None) -> None:
    """``report.md``: one row per mode (all questions, then each half), a per-type
    breakdown, and every failure."""
    lines = [f"# untact-qa evaluation — {meta['questions_file']}", "",
             f"{meta['date']} · {meta['machine']} · model `{meta['model']}` · index {meta['chunks']} chunks · "
             f"{meta['n']} questions ({meta['answerable']} answerable, {meta['unanswerable']} unanswerable)", "",
             "![metrics per mode and type](metrics.png)", "", "## Metrics per mode", ""]
    lines += _mode_table(metrics)
    for split, by_mode in (splits or {}).items():
        lines += ["", f"### {split} half ({meta.get('splits', {}).get(split, '?')} questions)", ""]
        lines += _mode_table(by_mode)
    if {"hybrid", "dense", "bm25"} <= set(metrics):
        mrr = {m: metrics[m]["mrr@10"] for m in ("hybrid", "dense", "bm25")}
        best = max(mrr, key=mrr.get)
        verdict = ("hybrid beats both single retrievers on MRR@10" if best == "hybrid" and
                   mrr["hybrid"] > max(mrr["dense"], mrr["bm25"]) else f"{best} has the best MRR@10")
        lines += ["", f"Default mode is **hybrid**: {verdict} (hybrid {mrr['hybrid']:.3f}, dense {mrr['dense']:.3f}, "
                      f"bm25 {mrr['bm25']:.3f}); Hit@1 per mode: " +
                      ", ".join(f"{m} {metrics[m]['hit@1']:.3f}" for m in ("hybrid", "dense", "bm25")) + "."]
    lines += ["", "Answer accuracy: share of answerable questions whose answer contains an accepted answer "
              "(list questions: the share of items found). Citation support: share of answered questions "
              "where a cited passage contains the evidence or the answer. Latency: wall-clock `Engine.ask`, "
              "warm, one question at a time.", "", "## Per question type", ""]
    lines.append("| type | n | " + " | ".join(f"{m} acc | {m} Hit@5" for m in metrics) + " |")
    lines.append("|---|---|" + "---|---|" * len(metrics))
    for t in TYPES:
        if not any(t in types[m] for m in metrics):
            continue
        n = next(types[m][t]["n"] for m in metrics if t in types[m])
        cells = []
        for m in metrics:
            e = types[m].get(t, {})
            cells += [_fmt(e.get("accuracy")), _fmt(e.get("hit@5"))]
        lines.append(f"| {t} | {n} | " + " | ".join(cells) + " |")
    lines += ["", "## Failures", ""]
    for m, rows in rows_by_mode.items():
        bad = [r for r in rows if r["answer_score"] < 1.0 or (r["type"] not in UNANSWERED_TYPES | {"summary"}
                                                              and not r["gold_rank"])]
        lines.append(f"### {m}: {len(bad)} question(s)")
        lines.append("")
        for r in bad:
            top = r["passages"][0]["text"].replace("\n", " ")[:160] if r["passages"] else "–"
            lines.append(f"- **{r['id']}** ({r['type']}) {r['question']}")
            lines.append(f"  - answer{' (abstained)' if r['abstained'] else ''}: {r['answer'][:300]}")
            lines.append(f"  - gold rank: {r['gold_rank'] or 'not in top 10'} · score {r['answer_score']:.2f} · "
                         f"confidence {r['confidence']} · {r['reason'] or ''}")
            lines.append(f"  - top passage: {top}")
        lines.append("")
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")


def run(engine, questions_file: Path, out: Path, modes: list[str],
        halves: frozenset[str] | None = None) -> tuple[dict, dict, dict]:
    """Evaluate *modes*, write predictions, metrics.json, report.md and metrics.png into *out*.
    *halves*: only the questions of these halves (None: all)."""
    import platform

    questions = [q for q in load_questions(questions_file) if halves is None or q["split"] in halves]
    from .corpus import load_corpus

    corpus = load_corpus(engine.settings.corpus_dir)
    missing = missing_evidence(questions, [d.text for d in corpus.documents])
    if missing:
        print(f"Warning: {len(missing)} evidence string(s) not found in the corpus: " + "; ".join(missing[:5]),
              file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    metrics, types, rows_by_mode = {}, {}, {}
    splits: dict[str, dict] = {}
    for mode in modes:
        print(f"Evaluating {len(questions)} questions in {mode} mode…", file=sys.stderr)
        rows, m = evaluate_mode(engine, questions, mode)
        metrics[mode], types[mode], rows_by_mode[mode] = m, per_type(rows), rows
        for split in ("tune", "test"):
            part = [r for r in rows if r["split"] == split]
            if part:
                splits.setdefault(split, {})[mode] = _metrics(part, [r["latency_ms"] for r in part])
        name = "predictions.jsonl" if mode == modes[0] else f"predictions.{mode}.jsonl"
        with open(out / name, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    n_ans = sum(1 for q in questions if q["type"] not in UNANSWERED_TYPES)
    meta = {"questions_file": str(questions_file), "date": time.strftime("%Y-%m-%d"),
            "machine": f"{platform.machine()}, {_cpus()} cores, Python {platform.python_version()}",
            "model": engine.index.manifest["model"]["id"], "chunks": engine.index.count(),
            "store": engine.index.manifest.get("store", "local"),
            "n": len(questions), "answerable": n_ans, "unanswerable": len(questions) - n_ans}
    meta["splits"] = {k: sum(1 for q in questions if q["split"] == k) for k in ("tune", "test")}
    if halves is not None:
        meta["only_splits"] = sorted(halves)
    (out / "metrics.json").write_text(json.dumps({"meta": meta, "modes": metrics, "splits": splits, "per_type": types},
                                                 ensure_ascii=False, indent=2), encoding="utf-8")
    write_chart(metrics, types, out / "metrics.png")
    write_report(out, metrics, types, rows_by_mode, meta, splits)
    return {"all": metrics, **splits}, types, rows_by_mode


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def gated_splits(floors: dict | None, suite: str) -> frozenset[str] | None:
    """The halves of *suite* its floors name, when they name only tune or test halves (the
    korquad suites are gated on their test halves: the other half would be asked for nothing
    the gate checks); None — every question — when a floor is on ``all`` or there are none."""
    named = {k for k in (floors or {}).get(suite, {}) if not k.startswith("_")}
    return frozenset(named) if named and "all" not in named else None


def gates_dialog(floors: dict | None, suite: str) -> bool:
    """Does a floor of *suite* name a metric of its conversations or comparison tables
    (``dialog_…``, ``comparison_…``)? The legacy follow-up chains' ``followup_…`` floors are
    measured apart (:func:`evaluate_chains`)."""
    return any(m.startswith(("dialog_", "comparison_"))
               for split, modes in (floors or {}).get(suite, {}).items() if not split.startswith("_")
               for mode, metrics in modes.items() if not mode.startswith("_") for m in metrics)


def run_suites(names: list[str], settings: Settings, out: Path, modes: list[str],
               only_gated: dict | None = None) -> dict:
    """Evaluate each suite on its own index (built on first use); write ``out/<suite>/`` and a
    combined ``out/report.md`` + ``out/metrics.json``. Returns ``{suite: {split: {mode: metrics}}}``.
    *only_gated*: floors (``eval/floors.json``) whose halves alone are asked (:func:`gated_splits`),
    and conversations only for a suite with a floor on them (:func:`gates_dialog`)."""
    from .encoders import make_embedder
    from .suites import load_suite, open_suite

    suites = [load_suite(n) for n in names]
    embedder = make_embedder(settings.model, settings.cache_dir)  # one model for every suite
    results, metas = {}, {}
    for suite in suites:
        corpus_dir, questions = suite.paths(settings.cache_dir)
        load_questions(questions)  # a bad question file fails before any index is built
        print(f"Suite {suite.name}: corpus {corpus_dir}, index "
              f"{suite.index_dir(settings.cache_dir, settings.index_dir)}", file=sys.stderr)
        _, engine, _ = open_suite(suite.name, settings, embedder)
        # a suite may measure only some modes (korquad-pages: hybrid against its baseline)
        wanted = [m for m in modes if m in suite.config.get("modes", MODES)] or modes[:1]
        halves = gated_splits(only_gated, suite.name) if only_gated is not None else None
        by_split, _, _ = run(engine, questions, out / suite.name, wanted, halves)
        if suite.config.get("chains"):
            from .dialog_eval import legacy_chains, run_dialog

            # the follow-up floors were set on the original chains (exact-string rewrites):
            # those are still scored the old way; every chain is scored by intent below
            chains = legacy_chains(load_chains(suite.folder / suite.config["chains"]))
            print(f"Suite {suite.name}: {len(chains)} follow-up chains", file=sys.stderr)
            chain_rows, chain_metrics = evaluate_chains(engine, chains)
            by_split["all"].setdefault("hybrid", {}).update(chain_metrics)
            with open(out / suite.name / "chains.jsonl", "w", encoding="utf-8") as f:
                for r in chain_rows:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            # conversations (dialog.jsonl) and comparison tables, merged into each half (the
            # gate alone asks them only when a floor is on one of their metrics)
            if only_gated is None or gates_dialog(only_gated, suite.name):
                for split, vals in run_dialog(engine, suite.folder, suite.config, out / suite.name).items():
                    by_split.setdefault(split, {}).setdefault("hybrid", {}).update(vals)
        if suite.config.get("baseline") == "bm25-500":
            from .baseline import retrieval_metrics

            print(f"Suite {suite.name}: baseline (Kiwi BM25 over 500-character chunks)", file=sys.stderr)
            asked = [q for q in load_questions(questions) if halves is None or q["split"] in halves]
            for split, vals in retrieval_metrics(corpus_dir, asked).items():
                if split in by_split and vals:
                    by_split[split]["bm25-500"] = vals
        results[suite.name] = by_split
        metas[suite.name] = json.loads((out / suite.name / "metrics.json").read_text(encoding="utf-8"))["meta"]
    write_suites_report(out, results, metas, {s.name: s.description for s in suites})
    return results


def write_suites_report(out: Path, results: dict, metas: dict, descriptions: dict) -> None:
    """``report.md`` across suites: for each, the test half, the tune half and all questions."""
    any_meta = next(iter(metas.values()))
    lines = ["# untact-qa evaluation", "",
             f"{any_meta['date']} · {any_meta['machine']} · model `{any_meta['model']}`", "",
             "Each suite is a document domain with its own index. **test** rows are the held-out half "
             "(never used to fit anything); **tune** rows are the half calibration may look at "
             "(see `eval/suites/*/README.md` and `untact-qa calibrate`). Details and every failure: "
             "`<suite>/report.md`.", ""]
    for name, by_split in results.items():
        meta = metas[name]
        lines += [f"## {name}", "", descriptions.get(name, ""), "",
                  f"{meta['chunks']} chunks · {meta['n']} questions ({meta['answerable']} answerable, "
                  f"{meta['unanswerable']} unanswerable; tune {meta['splits'].get('tune', 0)}, "
                  f"test {meta['splits'].get('test', 0)})", ""]
        cols = ["hit@1", "hit@5", "mrr@10", "ndcg@10", "answer_accuracy", "citation_support", "abstention_accuracy",
                "near_miss_abstention", "false_abstain_rate", "expected_type_share", "summary_coverage",
                "followup_rewrite_accuracy", "followup_answer_accuracy", "span_em", "span_f1", "median_answer_chars",
                "latency_p50_ms"]
        lines.append("| split | mode | " + " | ".join(cols) + " |")
        lines.append("|---|---" + "|---" * len(cols) + "|")
        for split in ("test", "tune", "all"):
            for mode, vals in by_split.get(split, {}).items():
                lines.append(f"| {split} | {mode} | " + " | ".join(_fmt(vals.get(c)) for c in cols) + " |")
        lines.append("")
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")
    (out / "metrics.json").write_text(json.dumps({"suites": results, "meta": metas}, ensure_ascii=False, indent=2),
                                      encoding="utf-8")


def check_suite_floors(results: dict, floors: dict) -> list[str]:
    """Floors per suite and split: ``{"korquad-open": {"test": {"hybrid": {"hit@1": 0.88}}}}``."""
    failures = []
    for suite, by_split in floors.items():
        if suite.startswith("_"):
            continue
        if suite not in results:
            failures.append(f"{suite}: has floors but was not evaluated (run --suite all)")
            continue
        for split, limits in by_split.items():
            if split.startswith("_"):
                continue
            got = results[suite].get(split)
            if got is None:
                failures.append(f"{suite} {split}: not measured")
                continue
            failures += [f"{suite} {split} {f}" for f in check_floors(got, limits)]
            for metric in limits.get("_hybrid_at_least_baseline", []):
                base = got.get("bm25-500", {}).get(metric)
                if base is None:
                    failures.append(f"{suite} {split} baseline {metric}: not measured")
                elif got["hybrid"][metric] < base:
                    failures.append(f"{suite} {split} hybrid {metric} = {got['hybrid'][metric]} is below the Kiwi BM25 "
                                    f"500-character baseline ({base})")
            for metric in limits.get("_hybrid_at_least_single_modes", []):
                if {"hybrid", "dense", "bm25"} <= set(got):
                    best = max(got["dense"][metric], got["bm25"][metric])
                    if got["hybrid"][metric] < best:
                        failures.append(f"{suite} {split} hybrid {metric} = {got['hybrid'][metric]} is below a single "
                                        f"mode ({best})")
    return failures


def main(args) -> int:
    """``untact-qa eval`` (see ``untact-qa eval --help``)."""
    from .engine import Engine
    from .suites import list_suites

    settings = Settings.from_env(
        corpus_dir=Path(args.corpus) if args.corpus else None,
        index_dir=Path(args.index) if args.index else None,
        model=args.model,
    )
    modes = list(MODES) if args.mode == "all" else [args.mode]
    out = Path(args.out)
    floors = None
    if args.check:
        floors_path = Path(args.floors)
        if not floors_path.is_file():
            raise ConfigError(f"floors file {floors_path} not found; pass --floors FILE")
        floors = json.loads(floors_path.read_text())
    if args.questions:  # one question file against the configured corpus and index
        questions = Path(args.questions)
        load_questions(questions)  # fail fast on a bad file, before loading the model
        engine = Engine.load_or_build(settings, progress=False)
        by_split, _, _ = run(engine, questions, out, modes)
        print(json.dumps(by_split["all"], ensure_ascii=False))
        print(f"Wrote {out}/report.md, metrics.json, metrics.png, predictions.jsonl", file=sys.stderr)
        failures = check_floors(by_split["all"], floors) if floors is not None else []
    else:
        names = list_suites() if args.suite == "all" else [args.suite]
        if args.only_gated and floors is None:
            raise ConfigError("--only-gated asks only what the floors check: pass --check too")
        results = run_suites(names, settings, out, modes, floors if args.only_gated else None)
        print(json.dumps(results, ensure_ascii=False))
        print(f"Wrote {out}/report.md, metrics.json and {', '.join(f'{out}/{n}/' for n in names)}", file=sys.stderr)
        failures = check_suite_floors(results, floors) if floors is not None else []
    if floors is not None:
        if failures:
            for f in failures:
                print(f"Error: regression: {f}", file=sys.stderr)
            return 1
        print(f"All metrics meet the floors in {args.floors}", file=sys.stderr)
    return 0
