"""Which hand-built features still add something once the learned reader is there (issue 28).

One pass over every suite's tune and test questions with the reader collects each
question's candidates and features. Then, for each variant (a feature set), the answer-span
and abstention models are fitted on the tune half exactly as ``untact-qa calibrate`` fits
them (fitting.fit_spans / fit_reranking, replay, fit_abstain) and the test half is scored by
replaying the answer step's decisions (fitting.replay) — no further asking. The variant
``hand-built only`` is the previous release's design (no reader).

Run: ``.venv/bin/python bench/reader_ablation.py [--calibration FILE]`` (the calibration
whose ranker and reader are used; default: the shipped one). Writes bench/reader_ablation.json
and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from untact_qa.calibration import ABSTAIN_ALL, ABSTAIN_FEATURES, READER_ABSTAIN_FEATURES, READER_SPAN_FEATURES, \
    RERANK_ALL, load  # noqa: E402
from untact_qa.config import Settings  # noqa: E402
from untact_qa.encoders import make_embedder  # noqa: E402
from untact_qa.evaluation import load_questions  # noqa: E402
from untact_qa.fitting import (fit_abstain, fit_reranking, fit_second_span, fit_spans, replay,  # noqa: E402
                               replay_metrics)
from untact_qa.readers import make_reader  # noqa: E402
from untact_qa.scoring import UNANSWERED_TYPES  # noqa: E402
from untact_qa.suites import list_suites, open_suite  # noqa: E402

CHECKS = ("type_held", "constraints_met")
SHAPE = ("log_chars", "is_pair")
ABSTAIN_CHECKS = ("missing_names", "missing_compounds", "latin_question", "checked_share", "checked_p_gap")
COVERAGE = ("corpus_term_coverage", "noun_coverage", "soft_noun_coverage", "top3_noun_coverage",
            "top1_noun_coverage", "top_passage_coverage")
RETRIEVAL = ("ranker_p", "dense_cos_max", "sent_cos_max", "dense_peak", "bm25_peak", "sent_cos_peak")

# name -> (span features, abstention features); None: hand-built only (no reader)
VARIANTS = {
    "hand-built only (no reader)": None,
    "reader + every hand-built feature": (RERANK_ALL, ABSTAIN_ALL),
    "reader + checks, length, coverage, retrieval": (
        READER_SPAN_FEATURES + CHECKS + SHAPE + ("passage_score_rel", "passage_inv_rank", "passage_coverage"),
        READER_ABSTAIN_FEATURES + ("span_p",) + ABSTAIN_CHECKS + COVERAGE + RETRIEVAL),
    "reader + checks and length only": (READER_SPAN_FEATURES + CHECKS + SHAPE,
                                        READER_ABSTAIN_FEATURES + ("span_p",) + ABSTAIN_CHECKS),
    "reader scores only": (READER_SPAN_FEATURES + SHAPE, READER_ABSTAIN_FEATURES + ("span_p",)),
}


def collect(settings, calibration) -> tuple[dict, dict, object]:
    """``(tune items, test items, a reader)`` per suite: every non-summary question asked once."""
    embedder = make_embedder(settings.model, settings.cache_dir)
    tune, test, reader = {}, {}, None
    for name in list_suites(ROOT):
        _, engine, qfile = open_suite(name, settings, embedder, calibration)
        engine.reader.model = make_reader(calibration.reader, settings.cache_dir)
        reader = engine.reader
        t0 = time.time()
        for q in load_questions(qfile):
            if q["type"] == "summary":
                continue
            got: dict = {}
            engine.ask(q["question"], mode="hybrid", top_k=10, collect=got)
            (tune if q["split"] == "tune" else test).setdefault(name, []).append((q, got))
        print(f"{name}: collected in {time.time() - t0:.0f} s", file=sys.stderr)
    return tune, test, reader


def variant(cal, tune: dict, test: dict, reader, spec) -> dict:
    """Fit *spec*'s models on *tune*, score *test* (and tune, in-sample) by replaying."""
    answers = {k: [(q, g) for q, g in v if q["type"] not in UNANSWERED_TYPES] for k, v in tune.items()}
    if spec is None:
        span, lam, long, _ = fit_spans(answers, 10.0)
        below, at_least, _ = fit_second_span(answers, span, lam, long)
        c = replace(cal.without_reader(), span=span, length_penalty=lam, long_penalty=long, second_if_below=below,
                    second_min_p=at_least)
        abstain_features = ABSTAIN_FEATURES
    else:
        c, _, _ = fit_reranking(cal, answers, 10.0, spec[0])
        abstain_features = spec[1]
    replay(tune, c, reader)
    abstain, tau, _ = fit_abstain(tune, 10.0, abstain_features)
    c = replace(c, abstain=abstain, abstain_threshold=tau)
    replay(tune, c, reader)
    tune_m = replay_metrics(tune)
    replay(test, c, reader)
    return {"test": replay_metrics(test), "tune": tune_m,
            "features": {"span": list(c.rerank.features if c.reads else c.span.features),
                         "abstain": list(abstain_features)}}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calibration", help="calibration with the reader (default: the shipped one)")
    args = ap.parse_args()
    settings = Settings.from_env()
    cal = load(args.calibration)
    if not cal.reads:
        raise SystemExit("the calibration has no reader; pass one fitted with `untact-qa calibrate`")
    tune, test, reader = collect(settings, cal)
    out = {}
    for name, spec in VARIANTS.items():
        print(f"variant: {name}", file=sys.stderr)
        out[name] = variant(cal, tune, test, reader, spec)
    (ROOT / "bench" / "reader_ablation.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))
    suites = list(next(iter(out.values()))["test"])
    print("| variant | " + " | ".join(f"{s} acc / false abst / abst / near-miss" for s in suites) + " |")
    print("|---|" + "---|" * len(suites))
    for name, r in out.items():
        cells = [" / ".join(f"{r['test'][s][k]:.3f}" if r["test"][s][k] is not None else "–"
                            for k in ("answer_accuracy", "false_abstain_rate", "abstention_accuracy",
                                      "near_miss_abstention")) for s in suites]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
