"""JSON API bench (issue 30): what ``POST /api/ask`` adds over ``Engine.ask``, and 20 API
clients at once.

Run: ``.venv/bin/python bench/api.py [--rounds 3] [--clients 20] [--per-client 10]``

Starts ``app.py`` on a free 127.0.0.1 port over copies of ``corpus/`` and ``index/`` (no login,
no token, no LLM), and loads an ``Engine`` of the same index in this process. Then:

1. **Added latency.** The eval questions (``eval/questions.jsonl``), *rounds* times, one at a
   time, each asked of ``Engine.ask`` here and of ``/api/ask`` over one keep-alive HTTP
   connection, interleaved. Reported: both p50/p95, and per API request the part that is not
   the engine — the client's wall time minus the server's own ``timings.engine`` for that very
   request (HTTP, the guards, JSON in and out, validation, scope), which does not depend on two
   processes running at different speeds.
2. **Concurrency.** *clients* threads, each with its own connection, each asking
   *per-client* different questions back to back; latency p50/p95/max and answers/s.

Writes ``bench/api.json`` and prints the Markdown section for ``bench/results.md``. Nothing is
asserted: these are measurements (the machine's other load shows in them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from run import machine, pct, versions  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(work: Path) -> tuple[subprocess.Popen, str]:
    corpus, index = work / "corpus", work / "index"
    shutil.copytree(ROOT / "corpus", corpus, ignore=shutil.ignore_patterns("uploads"))
    shutil.copytree(ROOT / "index", index)
    port = free_port()
    env = {**os.environ, "UNTACT_QA_CORPUS": str(corpus), "UNTACT_QA_INDEX": str(index),
           "UNTACT_QA_CACHE": str(ROOT / ".cache"), "UNTACT_QA_DATA": str(work / "data"),
           "UNTACT_QA_API_TOKEN": "", "UNTACT_QA_USER": "", "UNTACT_QA_PASSWORD": "", "UNTACT_QA_LLM_URL": "",
           "GRADIO_TEMP_DIR": str(work / "gradio")}
    log = open(work / "app.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((work / "app.log").read_text())
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise TimeoutError("the app did not come up")


def summary(xs: list[float]) -> dict:
    return {"n": len(xs), "p50": round(pct(xs, 50), 2), "p95": round(pct(xs, 95), 2), "max": round(max(xs), 2)}


def added_latency(engine, url: str, questions: list[str], rounds: int) -> dict:
    import httpx

    local, remote, outside = [], [], []
    with httpx.Client(base_url=url, timeout=60, trust_env=False) as client:
        for q in questions[:10]:  # warm both sides
            engine.ask(q)
            client.post("/api/ask", json={"question": q})
        for _ in range(rounds):
            for q in questions:
                t = time.perf_counter()
                engine.ask(q)
                local.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                r = client.post("/api/ask", json={"question": q})
                wall = (time.perf_counter() - t) * 1000
                r.raise_for_status()
                remote.append(wall)
                outside.append(wall - r.json()["timings"]["engine"])
    return {"engine_ask_ms": summary(local), "api_ask_ms": summary(remote),
            "api_minus_server_engine_ms": summary(outside),
            "p50_difference_ms": round(pct(remote, 50) - pct(local, 50), 2)}


def concurrent(url: str, questions: list[str], clients: int, per_client: int) -> dict:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client_run(i: int) -> None:
        mine = [questions[(i * per_client + j) % len(questions)] for j in range(per_client)]
        with httpx.Client(base_url=url, timeout=120, trust_env=False) as client:
            start.wait()
            for q in mine:
                t = time.perf_counter()
                r = client.post("/api/ask", json={"question": q})
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    (latencies.append(ms) if r.status_code == 200 else errors.append(r.text[:200]))

    threads = [threading.Thread(target=client_run, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"clients": clients, "per_client": per_client, "latency_ms": summary(latencies), "errors": len(errors),
            "answers_per_s": round(len(latencies) / wall, 1), "wall_s": round(wall, 2)}


def markdown(res: dict) -> str:
    a, c = res["added"], res["concurrent"]
    return "\n".join([
        "## JSON API: `/api/ask` against `Engine.ask`, and 20 API clients (`bench/api.py`)",
        "",
        f"- date: {res['date']}",
        f"- machine: {res['machine']}",
        f"- command: `{res['command']}`",
        "",
        f"{a['api_ask_ms']['n']} questions (the {res['questions']} eval questions × {res['rounds']}), one at a time, "
        "each asked of `Engine.ask` in the bench process and of `POST /api/ask` (app.py on 127.0.0.1, one keep-alive "
        "connection), interleaved.",
        "",
        "| | p50 ms | p95 ms |",
        "|---|---|---|",
        f"| `Engine.ask` (in process) | {a['engine_ask_ms']['p50']} | {a['engine_ask_ms']['p95']} |",
        f"| `POST /api/ask` (client wall) | {a['api_ask_ms']['p50']} | {a['api_ask_ms']['p95']} |",
        f"| what the API adds: client wall − the server's own `Engine.ask` time, per request | "
        f"{a['api_minus_server_engine_ms']['p50']} | {a['api_minus_server_engine_ms']['p95']} |",
        "",
        f"Difference of the p50s (two processes): {a['p50_difference_ms']} ms.",
        "",
        f"{c['clients']} clients at once, each asking {c['per_client']} different questions back to back "
        f"({c['clients'] * c['per_client']} answers, {c['errors']} errors): latency p50 {c['latency_ms']['p50']} ms, "
        f"p95 {c['latency_ms']['p95']} ms, max {c['latency_ms']['max']} ms; {c['answers_per_s']} answers/s "
        f"(answers are computed at most four at a time across every surface: `serve.service.ANSWER_SLOTS`).",
        "",
    ])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--per-client", type=int, default=10)
    p.add_argument("--only", choices=("added", "concurrent"), help="run one part")
    args = p.parse_args()
    from untact_qa import Engine, Settings
    from untact_qa.evaluation import load_questions

    questions = [q["question"] for q in load_questions(ROOT / "eval" / "questions.jsonl")]
    work = Path(tempfile.mkdtemp(prefix="untact-qa-apibench-"))
    proc, url = start_app(work)
    try:
        settings = replace(Settings.from_env(), corpus_dir=work / "corpus", index_dir=work / "index",
                           cache_dir=ROOT / ".cache")
        engine = Engine.load(settings=settings)
        res = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
               "versions": versions(), "command": "make setup && .venv/bin/python bench/api.py " + " ".join(sys.argv[1:]),
               "questions": len(questions), "rounds": args.rounds,
               "added": None if args.only == "concurrent" else added_latency(engine, url, questions, args.rounds),
               "concurrent": None if args.only == "added" else concurrent(url, questions, args.clients,
                                                                          args.per_client)}
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    if args.only:  # a partial run: printed, not written
        print(json.dumps({k: res[k] for k in ("added", "concurrent")}, indent=1))
        return 0
    (ROOT / "bench" / "api.json").write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(markdown(res))
    print(json.dumps({k: res[k] for k in ("added", "concurrent")}, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
