"""Helpers of the fault suite: the CLI and the app run for real, on tmp copies of the corpus
and of the session's index (real model, no re-embedding), servers on 127.0.0.1, and the
bad inputs themselves (PDFs of too many drawing commands, random bytes, …)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

from appkit import wait_for  # noqa: F401 - the fault tests import it from here
from conftest import CORPUS, ROOT




def copy_index(settings, tmp: Path, corpus: bool = True) -> dict:
    """A tmp copy of the corpus and of the session's built index, as CLI env vars."""
    tmp.mkdir(parents=True, exist_ok=True)
    if corpus:
        shutil.copytree(CORPUS, tmp / "corpus", ignore=shutil.ignore_patterns("uploads"))
    shutil.copytree(settings.index_dir, tmp / "index")
    return {"UNTACT_QA_CORPUS": str(tmp / "corpus"), "UNTACT_QA_INDEX": str(tmp / "index"),
            "UNTACT_QA_CACHE": str(settings.cache_dir), "UNTACT_QA_DATA": str(tmp / "data")}


def cli(*args, env=None, timeout=300, **kw) -> subprocess.CompletedProcess:
    e = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
    return subprocess.run([sys.executable, "-m", "untact_qa.cli", *args], capture_output=True, text=True,
                          env=e, timeout=timeout, **kw)


def cli_popen(*args, env=None, **kw) -> subprocess.Popen:
    e = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen([sys.executable, "-m", "untact_qa.cli", *args], text=True, env=e, **kw)


def one_error_line(r: subprocess.CompletedProcess, *needles: str) -> str:
    """The CLI ended with exactly one ``Error:`` line (no traceback) holding every needle."""
    assert r.returncode == 1, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    errors = [line for line in r.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and r.stderr.strip().splitlines()[-1] == errors[0], r.stderr[-2000:]
    for n in needles:
        assert n in errors[0], (n, errors[0])
    return errors[0]


def ask_ok(env, question="베트남의 현금 사용률은?", expect="90%") -> None:
    """The index at env still answers a question of the bundled report, with a citation."""
    r = cli("ask", question, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    assert expect in r.stdout and "[1] untact-economy-report.txt" in r.stdout, r.stdout


# -- read-only folders ------------------------------------------------------------------------------
@contextmanager
def readonly(path: Path):
    """*path* read-only for every process while inside. Root ignores permission bits, so
    for root the folder is bind-mounted read-only over itself (EROFS, as on a read-only
    volume); anyone else gets ``chmod a-w``."""
    import pytest

    path = Path(path)
    if os.geteuid() != 0:
        dirs = [p for p in [path, *path.rglob("*")] if p.is_dir()]
        for d in dirs:
            d.chmod(0o555)
        try:
            yield
        finally:
            for d in dirs:
                d.chmod(0o755)
        return
    bind = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True, text=True)
    if bind.returncode != 0:
        pytest.skip(f"cannot make a read-only folder as root here: {bind.stderr.strip()}")
    try:
        ro = subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], capture_output=True, text=True)
        assert ro.returncode == 0, ro.stderr
        probe = path / ".probe"
        try:
            probe.write_text("x")
            raise AssertionError(f"{path} is still writable")
        except OSError:
            pass
        yield
    finally:
        subprocess.run(["umount", str(path)], capture_output=True)


# -- PDFs that are hard to read ----------------------------------------------------------------
def pdf_bytes(pages: int, content: bytes, compressed: bytes | None = None) -> bytes:
    """A PDF of *pages* pages that all draw the one content stream *content* (Helvetica);
    *compressed*: the stream already deflated."""
    data = compressed if compressed is not None else zlib.compress(content, 9)
    filt = b" /Filter /FlateDecode"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            b"<< /Length %d%s >>\nstream\n" % (len(data), filt) + data + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
             b"/Resources << /Font << /F1 4 0 R >> >> >>"] * pages
    out, offs = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


DRAWING_COMMANDS = 100_000  # per page (one shared stream of ~2.4 MB, ~9 KB deflated)


def drawing_cost(pages: int = 3) -> float:
    """CPU seconds PDFium takes, in this process and on this machine, to extract the text of one
    page of :func:`drawing_bomb` (measured on *pages* pages, thread CPU time: other threads
    and other processes do not count)."""
    import tempfile

    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as d:
        probe = Path(d) / "probe.pdf"
        probe.write_bytes(_drawing_pdf(pages))
        doc = pdfium.PdfDocument(str(probe))
        try:
            t0 = time.thread_time()
            for page in doc:
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
            return (time.thread_time() - t0) / pages
        finally:
            doc.close()


def _drawing_pdf(pages: int) -> bytes:
    return pdf_bytes(pages, b"BT /F1 12 Tf\n" + b"1 0 0 1 10 10 Tm (a) Tj\n" * DRAWING_COMMANDS + b"ET\n")


def drawing_bomb(path: Path, cpu_seconds: float, margin: float = 20) -> Path:
    """A PDF of millions of text-drawing commands (pages sharing one stream of 100,000) that
    needs at least *margin* x *cpu_seconds* of CPU to read on this machine, whatever its speed:
    the page count is sized from :func:`drawing_cost` measured here and now. ~110 bytes per
    page (2,400 pages, 0.3 MB, for a 12 s limit on a 2026 server core); what it yields is a
    few characters, so only a CPU or wall-clock limit can stop it."""
    from untact_qa.config import UploadConfig

    per_page = max(drawing_cost(), 1e-4)
    pages = max(1000, int(margin * cpu_seconds / per_page) + 1)
    data = _drawing_pdf(pages)
    assert len(data) < UploadConfig.max_bytes, (
        f"this machine reads a drawing page in {per_page * 1000:.2f} ms: a bomb of {margin:.0f} x {cpu_seconds} s "
        f"would not fit the upload size limit; lower the test's CPU limit")
    path.write_bytes(data)
    return path


# Two full-page fills: rendering costs every pixel of the page twice per line, whatever PDFium
# caches, and parsing keeps only two small path objects per line (~0.7 KB).
PAINT_LINE = b"1 0 0 rg 0 0 612 792 re f 0 0 1 rg 0 0 612 792 re f\n"


def painting_cost(lines: int = 200, scale: float = 2.0) -> float:
    """CPU seconds PDFium takes, in this thread and on this machine, to render one line of
    :data:`PAINT_LINE` at *scale* (the viewer's scale), measured on a page of *lines* lines."""
    import tempfile

    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as d:
        probe = Path(d) / "probe.pdf"
        probe.write_bytes(pdf_bytes(1, PAINT_LINE * lines))
        doc = pdfium.PdfDocument(str(probe))
        try:
            page = doc[0]
            t0 = time.thread_time()
            page.render(scale=scale).close()
            spent = time.thread_time() - t0
            page.close()
            return spent / lines
        finally:
            doc.close()


def painting_bomb(path: Path, cpu_seconds: float, margin: float = 20) -> Path:
    """A one-page PDF (a few KB) whose page needs at least *margin* x *cpu_seconds* of CPU to
    render on this machine, whatever its speed: the number of full-page fills is sized from
    :func:`painting_cost` measured here and now. Pixels, not parsing, are what it costs, so
    it stays far from PDFium's own limits on content size (a page whose content streams add
    up to ~2 GB is not an expensive page to PDFium but an empty one)."""
    lines = max(1000, int(margin * cpu_seconds / max(painting_cost(), 1e-5)) + 1)
    assert lines <= 2_000_000, (
        f"this machine renders a page fill in {cpu_seconds * margin / lines * 1000:.3f} ms: {lines} lines would "
        f"strain the render's memory limit; lower the test's margin")
    path.write_bytes(pdf_bytes(1, PAINT_LINE * lines))
    return path


def process_lines(pids: list[int]) -> list[str]:
    """``pid ppid state command line`` of each of *pids* (for an assertion's message)."""
    out = []
    for pid in pids:
        try:
            stat = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
            argv = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            out.append(f"{pid} ppid={stat[1]} state={stat[0]} {argv.strip()}")
        except OSError:
            out.append(f"{pid} (ended)")
    return out


def extract_children(fragment: str, under: Path | None = None) -> list[int]:
    """Pids of running upload readers (``python -m untact_qa.extract``) whose command line holds
    *fragment* (the uploaded file's name) and, with *under*, a path inside that folder — this
    test's own readers: another test run on the same machine has readers of the same names."""
    pids = []
    prefix = str(under).encode() if under is not None else None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:  # ended meanwhile
            continue
        if b"untact_qa.extract" in argv and any(fragment.encode() in a for a in argv) and \
                (prefix is None or any(a.startswith(prefix) for a in argv)):
            pids.append(int(proc.name))
    return pids


def text_bomb(path: Path) -> Path:
    """A 30 KB PDF whose 200 pages each yield 3,000 characters (600,000 in all)."""
    line = b"(" + b"abcdefghij" * 5 + b") Tj 0 -12 Td\n"
    path.write_bytes(pdf_bytes(200, b"BT /F1 10 Tf 20 780 Td\n" + line * 60 + b"ET\n"))
    return path


def memory_bomb(path: Path, mb: int = 400) -> Path:
    """A content stream that inflates to *mb* MB (0.4 MB on disk for 400 MB)."""
    z = zlib.compressobj(6)
    block = b" " * (1 << 20)
    data = z.compress(b"BT /F1 12 Tf 10 700 Td (a) Tj ET\n") + b"".join(z.compress(block) for _ in range(mb)) + z.flush()
    path.write_bytes(pdf_bytes(1, b"", compressed=data))
    return path


# -- the chat server's API, as a client (gradio_client) or a browser (raw events) sends it ----------
def client(url):
    from gradio_client import Client

    return Client(url, verbose=False)


def upload(url, path: Path, on_conflict: str | None = None, timeout: float = 660):
    """/add_document: the status line, the documents panel, and the other outputs."""
    from gradio_client import handle_file

    args = (handle_file(str(path)),) if on_conflict is None else (handle_file(str(path)), on_conflict)
    return client(url).submit(*args, api_name="/add_document").result(timeout=timeout)


def ask(c, question, top_k=5, mode="hybrid", scope=()):
    """/ask: the update carries the new turn, its sources and the turn itself (for the saved copy);
    *scope*: the documents chosen in the list."""
    delta, box, status, scope_out = c.predict(question, mode, top_k, list(scope), api_name="/ask")
    return {"conversation": "".join(delta["turns"]), "sources": "".join(delta["sources"]),
            "turns": (delta.get("save") or {}).get("put", []), "status": status, "box": box, "scope": scope_out}


def answers_vietnam(url) -> None:
    """The previous index still answers (the report's fact, cited)."""
    out = ask(client(url), "베트남의 현금 사용률은?")
    assert "90%" in out["turns"][-1]["answer"] and out["turns"][-1]["citations"], out["status"]


def raw_ask(url: str, question: str, fn_index: int = 0) -> dict:
    """/ask as a browser sends it: the JSON escapes a lone surrogate as \\ud800, which
    gradio_client (httpx) cannot even encode. Returns the final outputs of the event."""
    import uuid

    session = uuid.uuid4().hex
    return {**raw_event(url, session, fn_index, [question, None, "hybrid", 5, [], None, None]), "session": session}


def raw_event(url: str, session: str, fn_index: int, data: list, event_data=None) -> dict:
    """One event of the page, sent as the browser sends it (*event_data*: what ui.js passes to
    ``trigger``); returns its ``process_completed`` message."""
    import json
    import urllib.request

    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session,
                       "event_data": event_data, "trigger_id": None})  # ensure_ascii: "\\ud800" on the wire
    req = urllib.request.Request(url + "gradio_api/queue/join", data=body.encode("ascii"),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).read()
    with urllib.request.urlopen(url + f"gradio_api/queue/data?session_hash={session}", timeout=300) as stream:
        for line in stream:
            if line.startswith(b"data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    return msg
    raise AssertionError("no process_completed message")


def page_config(url: str) -> dict:
    import json
    import urllib.request

    return json.loads(urllib.request.urlopen(url + "config", timeout=30).read())


def event_index(config: dict, elem_id: str, output_elem: str | None = None, trigger: str = "click") -> int:
    """The fn_index of the page's *trigger* event on the component *elem_id* (the one whose
    outputs include *output_elem*, when several are)."""
    ids = {c["props"].get("elem_id"): c["id"] for c in config["components"] if c.get("props", {}).get("elem_id")}
    for i, dep in enumerate(config["dependencies"]):
        if [ids[elem_id], trigger] in [list(t) for t in dep.get("targets", [])] and (
                output_elem is None or ids[output_elem] in dep.get("outputs", [])):
            return dep.get("id", i)
    raise KeyError((elem_id, trigger, output_elem))


__all__ = ["ROOT", "CORPUS"]
