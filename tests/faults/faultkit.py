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


def drawing_bomb(path: Path) -> Path:
    """20 million text-drawing commands (5,000 pages sharing one stream of 4,000) in ~0.8 MB:
    minutes of CPU for any extractor, and millions of characters if it ever finished."""
    path.write_bytes(pdf_bytes(5000, b"BT /F1 12 Tf\n" + b"1 0 0 1 10 10 Tm (a) Tj\n" * 4000 + b"ET\n"))
    return path


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


def wait_for(predicate, timeout: float = 120, every: float = 0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError("condition not met")


__all__ = ["ROOT", "CORPUS"]
