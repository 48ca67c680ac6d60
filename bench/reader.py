"""The learned reader's cost (issue 28): warm ``ask`` with and without it, its share of an
answer, and what training it cost. Run: ``.venv/bin/python bench/reader.py [--rounds 3]``.

Writes bench/reader.json and prints the Markdown section of bench/results.md. The "without"
run uses the hand-built calibration of the previous release (git HEAD's calibration.json
when it has no reader, else --without FILE). Nothing is asserted: measurements, with the
machine, the date and the load average next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import QUESTIONS, ask_times, default_settings, machine  # noqa: E402

from untact_qa import Engine  # noqa: E402
from untact_qa.readers.artifact import load_artifact  # noqa: E402


def hand_calibration(path: str | None) -> Path:
    """The previous release's calibration (no reader), for the comparison run."""
    if path:
        return Path(path)
    target = Path("/tmp/untact-qa-calibration-hand.json")
    text = subprocess.run(["git", "show", "HEAD:src/untact_qa/data/calibration.json"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    if '"rerank"' in text:
        raise SystemExit("git HEAD's calibration already has a reader; pass --without FILE")
    target.write_text(text, encoding="utf-8")
    return target


def run_one(index: Path, rounds: int, calibration: Path | None) -> dict:
    """One engine (its own process state) over the app's index, warm, then timed."""
    if calibration:
        os.environ["UNTACT_QA_CALIBRATION"] = str(calibration)
    else:
        os.environ.pop("UNTACT_QA_CALIBRATION", None)
    engine = Engine.load(settings=default_settings(index))
    for q in QUESTIONS[:10]:  # warm: sessions, caches, the reader's export
        engine.ask(q["question"])
    return ask_times(engine, rounds)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--index", default=str(ROOT / "index"))
    ap.add_argument("--without", help="calibration file without a reader (default: git HEAD's)")
    ap.add_argument("--which", choices=("with", "without", "both"), default="both")
    args = ap.parse_args()
    res = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
           "load_before": os.getloadavg()}
    if args.which in ("with", "both"):
        res["with reader"] = run_one(Path(args.index), args.rounds, None)
    if args.which in ("without", "both"):
        res["without reader"] = run_one(Path(args.index), args.rounds, hand_calibration(args.without))
    res["load_after"] = os.getloadavg()
    t = load_artifact().config["training"]
    res["training"] = {k: t[k] for k in ("train_seconds", "total_seconds", "peak_rss_mb", "steps", "machine", "date",
                                         "tokens", "windows", "groups")}
    (ROOT / "bench" / "reader.json").write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    print(markdown(res))
    return 0


def markdown(res: dict) -> str:
    """The bench/results.md section."""
    rows = ["| stage | with reader p50 ms | p95 ms | without reader p50 ms | p95 ms |", "|---|---|---|---|---|"]
    w, wo = res.get("with reader", {}), res.get("without reader", {})
    for k in [k for k in w if not k.startswith("_")] + [k for k in wo if not k.startswith("_") and k not in w]:
        a, b = w.get(k, {}), wo.get(k, {})
        rows.append(f"| {k} | {a.get('p50', '–')} | {a.get('p95', '–')} | {b.get('p50', '–')} | {b.get('p95', '–')} |")
    t = res["training"]
    return "\n".join([f"- date: {res['date']}; machine: {res['machine']}; load average before/after: "
                      f"{', '.join(f'{x:.1f}' for x in res['load_before'])} / "
                      f"{', '.join(f'{x:.1f}' for x in res['load_after'])}",
                      f"- {w.get('_n', 0)} asks ({res.get('with reader', {}).get('_reads', 0)} read by the reader)", "",
                      *rows, "",
                      f"Training (`untact-qa train-reader`, {t['date']}, {t['machine']}): {t['groups']} questions, "
                      f"{t['windows']} windows, {t['tokens']:,} tokens, {t['steps']} steps; "
                      f"{t['train_seconds'] / 60:.0f} min of training, {t['total_seconds'] / 60:.0f} min in all; "
                      f"peak memory {t['peak_rss_mb']} MB."])


if __name__ == "__main__":
    raise SystemExit(main())
