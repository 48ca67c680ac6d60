"""Scale bench: the korquad-open corpus at 1×, 5× and 20× its size.

Run: ``.venv/bin/python bench/scale.py [--sizes 1 5 20] [--work /tmp/scale-work] [--keep]``

Writes ``bench/scale.json`` (every number, the machine and the versions), ``bench/scale.png``
(add / remove / replace time and ask latency against corpus size) and ``bench/scale.md`` (the
Markdown section for bench/results.md, also printed on stdout). Nothing is asserted: these
are measurements.

For each size K, in two child processes of its own (``bench/scale.py --one K --phase build``,
then ``--phase serve``), so that each peak RSS (VmHWM, read at the end of the child) belongs to
that size and phase only — the build (steps 1-2) and a server's life (steps 3-5):

1. **Corpus.** ``DIR/corpus-K`` holds K verbatim copies of the 126 korquad-open articles:
   copy 0 is the articles as they are, copy j (1..K-1) the same files under ``copy-{j:02d}/``.
2. **Build.** ``build_index`` into an empty ``DIR/index-K``. At 1× with no donor: every text
   is embedded, so ``embedded / seconds`` is the texts/s of this machine. At K > 1 the 1×
   index is the donor (its vectors are reused by content hash), and verbatim copies have the
   same chunk and sentence texts, so **at 5× / 20× the measured build is everything but
   embedding** (reading, chunking, Kiwi, FAISS + BM25, writing). The *projected cold build*
   adds the embedding a corpus of K× distinct text would need: measured + (K × distinct texts
   at 1× − texts embedded) / (texts/s at 1×).
3. **Ask.** ``Engine.load``, 5 warm-up asks, then 200 korquad-open questions (every n-th of the
   question file, fixed) through ``Engine.ask``, one at a time, wall clock.
4. **Add / remove / replace** of a one-page Korean document (~1,500 characters, written for
   this bench) through the product's upload path, ``documents.Uploads`` (reading the file — in
   a limited child process where the product does so —, chunking, embedding, the store's write
   by document): 5 rounds of add then
   remove, each round a new file name and text (company, year and numbers change; the texts
   each add embedded are recorded, so a cache in the upload path would show), then 3 replaces (add a name, replace it with
   ``on_conflict="replace"`` and new text, timed; remove it). Medians and maxima. Between
   operations the bench waits for a background merge, if the store started one (untimed),
   so one operation's merge does not land in the next one's time. If the store can merge
   (``merge()``), one more add leaves a delta and an explicit ``merge()`` is timed.
5. **Disk and memory.** Bytes under ``DIR/index-K`` after the build and at the end; VmHWM of
   the build child and of the serve child.

Duplicated text makes search *cost* realistic (as many chunks, postings and vectors as a
K× corpus), not its answers: no quality number comes from these corpora.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

CACHE = ROOT / ".cache"
SUITE = "korquad-open"
OUT_JSON = ROOT / "bench" / "scale.json"
OUT_PNG = ROOT / "bench" / "scale.png"
OUT_MD = ROOT / "bench" / "scale.md"
MARK = "SCALE-RESULT "
N_ASKS, WARM_ASKS = 200, 5
ADD_ROUNDS, REPLACE_ROUNDS = 5, 3
TARGET_S, TARGET_RATIO = 1.5, 1.3  # the done-when: ≤ 1.5 s at 1×, and at 20× ≤ 1.3× that

# One page written for this bench (not taken from anywhere). {company}, {year} and the
# numbers change per round, so each upload's chunk and sentence texts are new.
PAGE = """# {company} 재택근무 도입 현황 보고 ({year}년)

{company}는 {year}년 상반기부터 본사와 지방 사업장의 전 직원을 대상으로 재택근무 제도를 세 단계에 걸쳐 도입하였으며, 이 보고서는 그 첫해의 운영 결과를 정리한 것이다. 첫 단계에서는 개발 부서와 디자인 부서의 직원 {n1}명이 주 2일 재택근무를 시작하였고, 석 달 뒤에는 영업 지원, 회계, 인사 부서로 대상이 넓어졌고, 마지막 단계에서는 콜센터와 물류 부서도 교대 근무표에 맞추어 일부 인원이 참여하게 되었다. 회사는 도입에 앞서 모든 직원에게 노트북과 보안 토큰을 지급하고, 사내 시스템에 접속할 때에는 반드시 가상 사설망을 거치도록 정보보안 규정을 고쳤으며, 개인 소유 기기로는 고객 정보가 담긴 파일을 열 수 없도록 막았다.

{year}년 말 기준으로 재택근무를 한 번 이상 이용한 직원은 전체의 {p1}퍼센트였으며, 이용자 한 사람의 한 달 평균 이용 일수는 {d1}일로 집계되었다. 부서별로는 개발 부서의 이용률이 가장 높았고, 고객을 직접 만나야 하는 현장 영업 부서와 생산 관리 부서의 이용률이 가장 낮았다. 인사팀이 연말에 실시한 설문에서 응답자의 {p2}퍼센트는 출퇴근에 쓰던 시간이 줄어 업무에 더 집중할 수 있었다고 답하였다.

반면 재택근무의 어려움으로는 동료와의 소통 부족이 가장 많이 꼽혔고, 집에서 일할 조용한 공간이 마땅치 않다는 응답과 업무와 휴식의 경계가 흐려진다는 응답이 그 뒤를 이었다. 회사는 이를 보완하기 위해 매주 수요일을 전원 출근일로 정하고, 팀별 화상 회의는 오전 열 시에 시작해 삼십 분 이내로 마치도록 권고하였다. 또한 어린 자녀를 둔 직원이 많다는 점을 고려하여 오후 여섯 시 이후에는 업무 연락을 자제하도록 관리자 교육을 두 차례 실시하였고, 메신저의 근무 상태 표시 기능을 이용해 퇴근 뒤의 알림이 울리지 않도록 설정하였다.

비용 측면에서는 본사 사무실의 임차 면적을 {p3}퍼센트 줄여 연간 약 {w1}억 원의 임차료를 절감한 것으로 나타났다. 다만 보안 장비와 협업 소프트웨어 사용료, 가정용 사무 가구 지원금처럼 새로 들어간 비용이 있어 실제 절감액은 그보다 작았다. 생산성 지표로 쓰는 분기별 과제 완료율과 고객 문의 처리 시간은 도입 전과 비교해 통계적으로 뚜렷한 차이가 없었는데, 이는 재택근무가 성과를 떨어뜨릴 것이라는 도입 초기 관리자들의 우려와는 다른 결과였다.

회사는 다음 해부터 재택근무 일수를 주 3일까지 늘리는 방안을 검토하고 있으며, 이를 위해 성과 평가 기준을 근무 시간이 아닌 결과물 중심으로 바꾸기로 하였다. 노동조합은 재택근무 중에 발생하는 통신비와 전기료 일부를 회사가 지원해야 한다고 요구하였고, 양측은 {year}년 하반기 단체 교섭에서 이 문제를 정식 안건으로 논의할 예정이다. 경영진은 제도의 효과를 객관적으로 확인하기 위해 외부 연구 기관에 의뢰하여 이듬해 봄까지 별도의 평가 보고서를 받기로 하였고, 그 결과에 따라 지방 사업장에 공유 사무실을 여는 방안도 함께 결정할 계획이다.
"""
COMPANIES = ["한빛정보통신", "누리소프트", "가람물산", "새봄에너지", "다온제약", "푸른바다해운", "미르전자",
             "온누리식품", "하늬건설", "별솔교육"]


def page_text(k: int, r: int) -> str:
    """The bench's page, varied by size *k* and round *r* (company, year and numbers)."""
    i = k * 31 + r
    return PAGE.format(company=COMPANIES[i % len(COMPANIES)], year=2019 + i % 6, n1=120 + 7 * i, p1=40 + i % 50,
                       d1=3 + i % 9, p2=55 + i % 40, p3=10 + i % 25, w1=2 + i % 17)


def pct(xs, p):
    from untact_qa.scoring import percentile

    return percentile(sorted(xs), p) if xs else None


def tree_bytes(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except OSError:
                pass
    return total


def src_state() -> str:
    """HEAD and a digest of the uncommitted changes under src/: the code a child measured (the
    package may change between sizes when someone works in the same checkout)."""
    import hashlib

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        diff = subprocess.run(["git", "diff", "HEAD", "--", "src"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return head + (f"+{hashlib.sha1(diff).hexdigest()[:8]}" if diff else "")


def vm_hwm_mb() -> float | None:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


# -- child: one size ------------------------------------------------------------------------------
def make_corpus(source: Path, target: Path, k: int) -> int:
    """*target* = *k* verbatim copies of *source* (copy 0 at the top, copy j under copy-{j:02d}/)."""
    if target.exists():
        shutil.rmtree(target)
    files = sorted(p for p in source.rglob("*") if p.is_file())
    for j in range(k):
        dest = target if j == 0 else target / f"copy-{j:02d}"
        for p in files:
            out = dest / p.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, out)
    return len(files) * k


def _settings(k: int, work: Path):
    from untact_qa import Settings

    return replace(Settings(), corpus_dir=work / f"corpus-{k}", index_dir=work / f"index-{k}", cache_dir=CACHE)


def run_build(k: int, work: Path, donor: Path | None) -> dict:
    """Child, phase 1: make the K× corpus and build its index into an empty folder."""
    from untact_qa import build_index
    from untact_qa.suites import load_suite

    out: dict = {"size": k, "load_before": os.getloadavg()[0], "build_src": src_state()}
    source, _questions = load_suite(SUITE, root=ROOT).paths(CACHE)
    s = _settings(k, work)
    out["files"] = make_corpus(source, s.corpus_dir, k)
    if s.index_dir.exists():
        shutil.rmtree(s.index_dir)
    out["model"] = s.model
    out["donor"] = str(donor) if donor else None
    t = time.perf_counter()
    rep = build_index(s, progress=False, donor=donor)
    out["build"] = {"seconds": rep.seconds, "wall_seconds": time.perf_counter() - t, "documents": rep.documents,
                    "chunks": rep.chunks, "sentences": rep.sentences, "embedded": rep.embedded,
                    "reused": rep.reused, "errors": len(rep.errors)}
    out["build"]["texts_per_s"] = rep.embedded / rep.seconds if rep.embedded >= 1000 else None
    out["index_bytes_built"] = tree_bytes(s.index_dir)
    out["build_peak_rss_mb"] = vm_hwm_mb()
    return out


def run_serve(k: int, work: Path) -> dict:
    """Child, phase 2 (a new process, so its peak RSS is a server's): load the K× index, ask,
    add / remove / replace one page, merge."""
    from untact_qa import Engine
    from untact_qa.documents import Uploads
    from untact_qa.evaluation import load_questions
    from untact_qa.suites import load_suite

    out: dict = {"size": k, "serve_load_before": os.getloadavg()[0], "serve_src": src_state()}
    _source, questions_path = load_suite(SUITE, root=ROOT).paths(CACHE)
    s = _settings(k, work)
    index = s.index_dir
    pages = work / f"pages-{k}"
    for folder in (pages, s.corpus_dir / "uploads"):
        if folder.exists():
            shutil.rmtree(folder)
    pages.mkdir(parents=True)

    # 2. ask
    t = time.perf_counter()
    eng = Engine.load(settings=s)
    out["load_seconds"] = time.perf_counter() - t
    qs = [q["question"] for q in load_questions(questions_path)]
    step = max(1, len(qs) // N_ASKS)
    picked = qs[::step][:N_ASKS]
    for q in picked[:WARM_ASKS]:
        eng.ask(q)
    times, stages, failed = [], {}, 0
    for q in picked:
        t = time.perf_counter()
        try:
            a = eng.ask(q)
        except Exception:  # noqa: BLE001 - a question the product refuses: counted, not timed
            failed += 1
            continue
        times.append((time.perf_counter() - t) * 1000)
        for name, ms in a.timings_ms.items():
            if name != "total":
                stages.setdefault(name, []).append(ms)
    out["ask"] = {"n": len(times), "failed": failed, "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
                  "max_ms": max(times) if times else None,
                  "stages_p50_ms": {name: pct(v, 50) for name, v in stages.items()}}

    # 3. add / remove / replace through the upload path
    up = Uploads(eng)
    store_s: dict[str, list[float]] = {"upsert": [], "delete_doc": []}

    def timed_store_method(name):  # instrument the store's writes (the bench's own wrapper)
        orig = getattr(eng.index, name, None)
        if orig is None:
            return

        def wrapper(*a, **kw):
            t0 = time.perf_counter()
            try:
                return orig(*a, **kw)
            finally:
                store_s[name].append(time.perf_counter() - t0)

        try:
            setattr(eng.index, name, wrapper)
        except AttributeError:
            pass

    for name in store_s:
        timed_store_method(name)

    merges = {"background_waits": 0, "version_changes": 0}

    def settle():
        """Wait (untimed) for a background merge the last write started, if the store has them."""
        before = getattr(eng.index, "path", None)
        if hasattr(eng.index, "wait_merged"):
            if getattr(eng.index, "_merger", None) is not None and eng.index._merger.is_alive():
                merges["background_waits"] += 1
            eng.index.wait_merged()
        if getattr(eng.index, "path", None) != before:
            merges["version_changes"] += 1

    def add(path: Path, **kw):
        marks: dict[str, float] = {}
        texts = {}

        def progress(stage, counts):
            marks[stage] = time.perf_counter()  # the last call of each stage
            marks.setdefault(stage + "@first", marks[stage])
            if stage == "embed":
                texts["embedded"] = counts.get("total")

        n_up = len(store_s["upsert"])
        t0 = time.perf_counter()
        info = up.add(path, progress=progress, **kw)
        t1 = time.perf_counter()
        parts = {}
        if {"read", "split", "write"} <= set(marks):
            parts["read_chunk_s"] = marks["split"] - marks["read"]
            parts["embed_records_s"] = marks["write"] - marks["split"]  # make_records: chunk, embed, Kiwi
            parts["write_refresh_list_s"] = t1 - marks["write"]  # store.upsert, engine.refresh, Uploads.list
        if len(store_s["upsert"]) > n_up:
            parts["store_upsert_s"] = store_s["upsert"][-1]
        return info, t1 - t0, {**parts, **texts}

    def remove(doc_id: str):
        n_del = len(store_s["delete_doc"])
        t0 = time.perf_counter()
        up.remove(doc_id)
        dt = time.perf_counter() - t0
        return dt, (store_s["delete_doc"][-1] if len(store_s["delete_doc"]) > n_del else None)

    adds, removes, add_parts, remove_store, chunks = [], [], [], [], []
    for r in range(ADD_ROUNDS):
        path = pages / f"scale-page-{k:02d}-{r}.txt"
        path.write_text(page_text(k, r), encoding="utf-8")
        info, dt, parts = add(path)
        adds.append(dt)
        add_parts.append(parts)
        chunks.append(info.chunks)
        settle()
        dt, st = remove(info.doc_id)
        removes.append(dt)
        remove_store.append(st)
        settle()
    replaces, replace_parts = [], []
    for r in range(REPLACE_ROUNDS):
        name = f"scale-replace-{k:02d}-{r}.txt"
        first = pages / "a" / name
        second = pages / "b" / name
        for p, rr in ((first, 10 + 2 * r), (second, 11 + 2 * r)):
            p.parent.mkdir(exist_ok=True)
            p.write_text(page_text(k, rr), encoding="utf-8")
        info, _, _ = add(first)
        settle()
        info2, dt, parts = add(second, on_conflict="replace")
        replaces.append(dt)
        replace_parts.append({**parts, "replaced": info2.replaced, "same_doc": info2.doc_id == info.doc_id})
        settle()
        remove(info2.doc_id)
        settle()

    def summary(xs):
        return {"median_s": statistics.median(xs), "max_s": max(xs), "all_s": xs}

    out["page"] = {"chars": len(page_text(k, 0)), "chunks": chunks[0] if chunks else None}
    out["add"] = {**summary(adds), "parts": add_parts}
    out["remove"] = {**summary(removes), "store_delete_doc_s": remove_store}
    out["replace"] = {**summary(replaces), "parts": replace_parts}
    out["merges_during_rounds"] = merges

    # 4. an explicit merge of one delta (stores that merge)
    if hasattr(eng.index, "merge"):
        path = pages / f"scale-merge-{k:02d}.txt"
        path.write_text(page_text(k, 99), encoding="utf-8")
        info, _, _ = add(path)
        settle()
        pending = {"segments": len(getattr(eng.index, "segments", []) or []),
                   "needs_merge": eng.index.needs_merge() if hasattr(eng.index, "needs_merge") else None}
        t = time.perf_counter()
        eng.index.merge()
        out["merge"] = {"seconds": time.perf_counter() - t, "before": pending,
                        "segments_after": len(getattr(eng.index, "segments", []) or [])}
        remove(info.doc_id)
        settle()
    else:
        out["merge"] = None

    # 5. disk and memory
    out["index_bytes_end"] = tree_bytes(index)
    out["serve_peak_rss_mb"] = vm_hwm_mb()
    out["load_after"] = os.getloadavg()[0]
    return out


# -- parent ---------------------------------------------------------------------------------------
def machine() -> dict:
    from run import cpu_name, package_versions  # bench/run.py: the same machine and version lines

    cpu = cpu_name()
    versions = package_versions(("untact-qa", "numpy", "faiss-cpu", "bm25s", "kiwipiepy", "onnxruntime", "matplotlib"))
    git = {}
    try:
        git["head"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                     text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.split("\n")
        git["src_changes_uncommitted"] = sum(1 for line in dirty if line.strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "cores_usable": len(os.sched_getaffinity(0)),
            "ram_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "os": f"{platform.system()} {platform.release()} {platform.machine()}", "versions": versions, "git": git,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def _child(k: int, work: Path, phase: str, donor: Path | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(k), "--phase", phase, "--work", str(work)]
    if donor:
        cmd += ["--donor", str(donor)]
    print(f"[scale] {k}× {phase}: {' '.join(cmd)}", file=sys.stderr, flush=True)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    lines = [line[len(MARK):] for line in proc.stdout.splitlines() if line.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"[scale] the {k}× {phase} child failed (exit {proc.returncode})")
    res = json.loads(lines[-1])
    res[f"{phase}_child_wall_seconds"] = time.perf_counter() - t
    print(f"[scale] {k}× {phase} done in {res[f'{phase}_child_wall_seconds']:.0f} s", file=sys.stderr, flush=True)
    return res


def run_size(k: int, work: Path) -> dict:
    """Size *k*: the build in one child process, then loading, asking and uploads in another."""
    donor = None
    if k > 1:
        own = work / "index-1"
        donor = own if own.is_dir() else CACHE / "suites" / SUITE / "index"
    built = _child(k, work, "build", donor)
    served = _child(k, work, "serve")
    res = {**built, **served}
    res["load_before"] = built["load_before"]
    res["peak_rss_mb"] = max(built["build_peak_rss_mb"], served["serve_peak_rss_mb"])
    return res


def project(results: list[dict]) -> None:
    """Projected cold build at each size from the 1× texts/s (see the module docstring)."""
    one = next((r for r in results if r["size"] == 1), None)
    if not one or not one["build"].get("texts_per_s"):
        return
    rate = one["build"]["texts_per_s"]
    distinct = one["build"]["embedded"] + one["build"]["reused"]
    for r in results:
        b = r["build"]
        b["distinct_texts_if_distinct_corpus"] = distinct * r["size"]
        missing = max(0, distinct * r["size"] - b["embedded"])
        b["projected_cold_seconds"] = b["seconds"] + missing / rate


def fmt(v, nd=1):
    if v is None:
        return "–"
    if isinstance(v, int):
        return f"{v:,}"
    return f"{v:,.{nd}f}"


def write_md(data: dict) -> str:
    rs = data["results"]
    m = data["machine"]
    v = ", ".join(f"{k} {x}" for k, x in m["versions"].items())
    states = sorted({r[key] for r in rs for key in ("build_src", "serve_src") if r.get(key)})
    lines = [
        "## Scale: korquad-open at 1×, 5× and 20× (`bench/scale.py`)",
        "",
        f"- date: {m['date']}; machine: {m['cpu']}, {m['cores_usable']} cores, {m['ram_gib']:.0f} GiB RAM",
        f"- versions: {v}; git {m['git'].get('head', '?')}"
        + (f" + {m['git']['src_changes_uncommitted']} uncommitted files in src/"
           if m["git"].get("src_changes_uncommitted") else ""),
        *([(f"- **warning: the code under src/ changed during the run** ({', '.join(states)}): sizes are not "
            "comparable; run again")] if len(states) > 1 else []),
        f"- command: `.venv/bin/python bench/scale.py --sizes {' '.join(str(r['size']) for r in rs)}`",
        "- 1-minute load average at the start / end of each size (2 cores: above 2 the timings are noisy): "
        + ", ".join(f"{r['size']}× {r['load_before']:.1f} / {r['load_after']:.1f}" for r in rs),
        "",
        ("Corpus K× = K verbatim copies of the 126 korquad-open articles (copy j under `copy-{j:02d}/`). "
        "The 1× build is cold (every text embedded: texts/s). Copies have the same texts, so at K > 1 the "
        "build reuses the 1× vectors by content hash: **the measured build is everything except embedding**; "
        "the projected cold build adds (K × distinct 1× texts − texts embedded) ÷ (1× texts/s). "
        "Peak RSS: the build's child process, and a second one that loads the index, asks and uploads "
        "(a server's). Search cost over duplicated text is realistic (as many chunks, postings and vectors); "
        "no quality number comes from these corpora. Copies add no new words, so a cost that grows with "
        "the vocabulary (not the chunk count) looks flat here."),
        "",
        (f"Add / remove: a one-page Korean document ({rs[0]['page']['chars']:,} characters, "
        f"{rs[0]['page']['chunks']} chunks) through `Uploads.add` / `Uploads.remove` (the UI's path: reading "
        f"the file, chunking, embedding, the store's write), {ADD_ROUNDS} rounds with a new name and text each; "
        f"replace = `add(..., on_conflict=\"replace\")` of a name just added, {REPLACE_ROUNDS} rounds. "
        f"Merge = an explicit `merge()` of one pending delta. Ask: {rs[0]['ask']['n']} korquad-open questions, "
        "one at a time, after 5 warm-up asks."),
        "",
        ("| size | documents | chunks | texts (distinct) | build s (measured) | cold build s (projected) | texts/s "
        "| add p50 / max s | remove p50 / max s | replace p50 s | merge s | ask p50 / p95 ms | index MB "
        "| peak RSS MB: build / serve |"),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rs:
        b = r["build"]
        proj = b.get("projected_cold_seconds")
        proj_s = ("(measured: cold)" if r["size"] == 1 else fmt(proj, 0)) if proj is not None else "–"
        lines.append(
            f"| {r['size']}× | {fmt(b['documents'])} | {fmt(b['chunks'])} | {fmt(b['embedded'] + b['reused'])} "
            f"| {fmt(b['seconds'])} | {proj_s} | {fmt(b.get('texts_per_s'))} "
            f"| {fmt(r['add']['median_s'], 2)} / {fmt(r['add']['max_s'], 2)} "
            f"| {fmt(r['remove']['median_s'], 3)} / {fmt(r['remove']['max_s'], 3)} "
            f"| {fmt(r['replace']['median_s'], 2)} | {fmt((r.get('merge') or {}).get('seconds'), 2)} "
            f"| {fmt(r['ask']['p50_ms'])} / {fmt(r['ask']['p95_ms'])} | {fmt(r['index_bytes_built'] / 2**20)} "
            f"| {fmt(r.get('build_peak_rss_mb'), 0)} / {fmt(r.get('serve_peak_rss_mb', r.get('peak_rss_mb')), 0)} |")
    one = next((r for r in rs if r["size"] == 1), None)
    if one:
        line = (f"Target (issue): add and remove ≤ {TARGET_S} s at 1× (here: add {one['add']['median_s']:.2f} s, "
                f"remove {one['remove']['median_s']:.3f} s, medians), and at 20× ≤ {TARGET_RATIO}× the 1× time")
        others = [r for r in rs if r["size"] != 1]
        if others:
            line += ": " + "; ".join(f"{r['size']}× add {r['add']['median_s'] / one['add']['median_s']:.2f}×, "
                                     f"remove {r['remove']['median_s'] / one['remove']['median_s']:.2f}×"
                                     for r in others)
        lines += ["", line + "."]
    parts = [r for r in rs if r["add"]["parts"] and "read_chunk_s" in r["add"]["parts"][0]]
    if parts:
        lines += ["", ("Where an add's time goes (medians, s): read + chunk / make_records "
                       "(chunk, embed, Kiwi) / store write + refresh + list (of which `store.upsert`); remove: "
                       "of which `store.delete_doc`."), "",
                  ("| size | read + chunk | make_records | write + refresh + list | store.upsert | "
                   "store.delete_doc | texts embedded per add |"), "|---|---|---|---|---|---|---|"]
        for r in parts:
            ps = r["add"]["parts"]

            def med(key, ps=ps):
                xs = [p[key] for p in ps if p.get(key) is not None]
                return statistics.median(xs) if xs else None

            dels = [x for x in r["remove"]["store_delete_doc_s"] if x is not None]
            lines.append(f"| {r['size']}× | {fmt(med('read_chunk_s'), 3)} | {fmt(med('embed_records_s'), 3)} "
                         f"| {fmt(med('write_refresh_list_s'), 3)} | {fmt(med('store_upsert_s'), 3)} "
                         f"| {fmt(statistics.median(dels) if dels else None, 3)} | {fmt(med('embedded'), 0)} |")
    stage_names = list(dict.fromkeys(n for r in rs for n in r["ask"].get("stages_p50_ms", {})))
    if stage_names:
        lines += ["", ("Ask stages, p50 ms (`Answer.timings_ms`): the query embedding does not depend on the corpus "
                       "size, so differences there are the machine's load; the search stages are what grows."), "",
                  "| size | " + " | ".join(stage_names) + " |", "|---|" + "---|" * len(stage_names)]
        for r in rs:
            st = r["ask"].get("stages_p50_ms", {})
            lines.append(f"| {r['size']}× | " + " | ".join(fmt(st.get(n), 2) for n in stage_names) + " |")
    lines += ["", "![](scale.png)", ""]
    return "\n".join(lines)


def plot(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rs = sorted(data["results"], key=lambda r: r["size"])
    xs = [r["size"] for r in rs]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    colors = {"add": "tab:blue", "remove": "tab:orange", "replace": "tab:green"}
    one = next((r for r in rs if r["size"] == 1), None)
    for op, c in colors.items():
        med = [r[op]["median_s"] for r in rs]
        mx = [r[op]["max_s"] for r in rs]
        a.errorbar(xs, med, yerr=[[0] * len(med), [m2 - m1 for m1, m2 in zip(med, mx)]], marker="o", color=c,
                   capsize=3, label=f"{op} (median, bar to max)")
        if one and op != "replace":
            base = one[op]["median_s"]
            a.axhspan(base, base * TARGET_RATIO, color=c, alpha=0.12)
            a.axhline(base * TARGET_RATIO, color=c, lw=0.8, ls=":")
    a.axhline(TARGET_S, color="red", ls="--", lw=1, label=f"target {TARGET_S} s")
    if one:
        a.plot([], [], color="grey", alpha=0.3, lw=6, label=f"1× median … {TARGET_RATIO}× it")
    a.set_title("(a) one-page document through Uploads")
    a.set_ylabel("seconds (log)")
    a.set_yscale("log")  # a remove costs milliseconds, an add seconds
    for r, ask_key, label, ls in ((rs, "p50_ms", "ask p50", "-"), (rs, "p95_ms", "ask p95", "--")):
        b.plot(xs, [x["ask"][ask_key] for x in r], marker="o", ls=ls, label=label)
    b.set_title(f"(b) ask latency ({rs[0]['ask']['n']} korquad-open questions)")
    b.set_ylabel("ms")
    b.set_ylim(bottom=0)
    for ax in (a, b):
        ax.set_xscale("log")
        ax.set_xticks(xs)
        ax.set_xticklabels([f"{x}×" for x in xs])
        ax.minorticks_off()
        ax.set_xlabel("corpus size (× korquad-open)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"untact-qa scale bench — {data['machine']['date']}, {data['machine']['cores_usable']} cores",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[1, 5, 20], help="corpus sizes (× korquad-open)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/scale-work"), help="corpora and indexes (scratch)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the results of sizes not run now from the existing bench/scale.json")
    ap.add_argument("--serve-only", action="store_true",
                    help="reuse the indexes in --work and the build numbers in bench/scale.json; measure "
                         "loading, asks and uploads again (e.g. on a quieter machine, or after a store change)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child: measure one size, print one JSON line
    ap.add_argument("--phase", choices=("build", "serve"), help=argparse.SUPPRESS)
    ap.add_argument("--donor", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.one is not None:
        res = (run_build(args.one, args.work, args.donor) if args.phase == "build"
               else run_serve(args.one, args.work))
        print(MARK + json.dumps(res, ensure_ascii=False), flush=True)
        return 0

    sizes = sorted(set(args.sizes))
    if 1 not in sizes and not (args.work / "index-1").is_dir():
        print("[scale] no 1× index in the work folder: the donor is the korquad-open suite index, and "
              "texts/s (for the projected cold build) comes only from a 1× run", file=sys.stderr)
    mach = machine()  # before the runs: the date and code they started with
    if args.serve_only:
        built = {r["size"]: r for r in json.loads(OUT_JSON.read_text(encoding="utf-8"))["results"]}
        results = []
        for k in sizes:
            served = _child(k, args.work, "serve")
            kept = ("size", "load_before", "build_src", "files", "model", "donor", "build", "index_bytes_built",
                    "build_peak_rss_mb", "build_child_wall_seconds")
            res = {**built[k], **served, **{key: built[k][key] for key in kept if key in built[k]}}
            res["peak_rss_mb"] = max(built[k].get("build_peak_rss_mb", 0), served["serve_peak_rss_mb"])
            results.append(res)
    else:
        results = [run_size(k, args.work) for k in sizes]
    mach["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    if args.keep and OUT_JSON.is_file():
        old = json.loads(OUT_JSON.read_text(encoding="utf-8")).get("results", [])
        results += [r for r in old if r["size"] not in sizes]
    results.sort(key=lambda r: r["size"])
    project(results)
    data = {"machine": mach, "suite": SUITE, "asks": N_ASKS, "add_rounds": ADD_ROUNDS,
            "replace_rounds": REPLACE_ROUNDS, "results": results}
    OUT_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    plot(data, OUT_PNG)
    md = write_md(data)
    OUT_MD.write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
