"""Text of an uploaded file: every document format (PDF, HWP, HWPX, DOCX, PPTX, XLSX, CSV,
HTML: :mod:`untact_qa.formats`) is extracted in a child process under a CPU-time limit, a
memory limit and a cap on the characters it may yield; plain text (.txt, .md, at most 5 MB)
is decoded in this process under the same character cap. Zip and OLE containers are checked
against entry, ratio and total-size limits before anything is inflated
(:mod:`untact_qa.formats.containers`).

A PDF can hold millions of text-drawing commands on one small page; extracting it in the
server would keep a worker busy for minutes and block every other upload. Here each
upload is read by ``python -m untact_qa.extract`` which sets ``RLIMIT_CPU`` and
``RLIMIT_AS`` on itself before it opens the file; the parent also kills it after a
wall-clock timeout. Every way it can end becomes a :class:`CorpusError` with a Korean
reason for the UI, and nothing is written to the corpus or the index.

| limit | env var | default |
|---|---|---|
| CPU time | ``UNTACT_QA_UPLOAD_CPU_SECONDS`` | 30 s |
| memory (address space) | ``UNTACT_QA_UPLOAD_MEMORY_MB`` | 1024 MB |
| extracted characters | ``UNTACT_QA_UPLOAD_MAX_CHARS`` | 400,000 (~200 pages) |
| wall clock | ``UNTACT_QA_UPLOAD_WALL_SECONDS`` | 2 × CPU + 10 s, counted again from every OCR page read |

OCR runs Tesseract in processes of the reader's own (each under the same CPU limit per
page); the reader reports every page on its stdout, and the wall clock restarts with each
report, so a long scan keeps going while a stuck one is stopped.

The document viewer's picture of a PDF's cited page is drawn the same way
(:func:`render_pdf_page`, ``python -m untact_qa.extract --render``): under the memory limit
and :data:`RENDER_CPU_SECONDS` of CPU.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .config import UploadConfig
from .corpus import read_document
from .errors import CorpusError
from .formats import SUFFIXES, TEXT_SUFFIXES, Extracted, Limits

ALLOWED = SUFFIXES  # every suffix an upload may have (formats.SUFFIXES)
ProgressFn = Callable[[str, int, int], None]

EXIT_REFUSED = 2  # a CorpusError: its messages are on stderr as JSON
EXIT_MEMORY = 3
EXIT_FAILED = 4


def too_long(name: str, chars: int | None, limits: UploadConfig) -> CorpusError:
    """The text is over the cap (*chars* None: reading stopped as soon as it was)."""
    got = f"{chars:,}" if chars is not None else f"more than {limits.max_chars:,}"
    got_ko = f"{chars:,}자로 " if chars is not None else ""
    return CorpusError(f"{name}: the extracted text has {got} characters, the limit is {limits.max_chars:,}; "
                       f"split the document",
                       ko=f"{name}: 추출한 글자가 {got_ko}한도({limits.max_chars:,}자)를 넘습니다. "
                          f"문서를 나누어 올려 주세요.")


def extract_isolated(path: str | Path, name: str, limits: UploadConfig | None = None) -> str:
    """The sanitised text of the upload at *path* (named *name* by the user) — a document read
    in a limited child process; raises :class:`CorpusError` with a Korean reason."""
    return extract_document(path, name, limits).text


def extract_document(path: str | Path, name: str, limits: UploadConfig | None = None,
                     progress: ProgressFn | None = None) -> Extracted:
    """The sanitised text and location map of the upload at *path* (named *name*): a document
    format read in a limited child process, plain text decoded here; raises
    :class:`CorpusError` with a Korean reason. *progress(stage, done, total)* hears OCR pages."""

    limits = limits or UploadConfig.from_env()
    path = Path(path)
    check_upload(path, name)  # type, size, empty: cheap, in this process
    if Path(name).suffix.lower() in TEXT_SUFFIXES:
        # Plain text needs no sandbox: decoding is linear in a file the size check bounds
        # (5 MB), and a child process would cost ~0.4 s of an upload's 1.5 s budget.
        from .sanitize import clean_document_text

        text = clean_document_text(extract_text(path, name))
        if len(text) > limits.max_chars:
            raise too_long(name, len(text), limits)
        return Extracted(text, [], "text", profile="")
    fd, out = tempfile.mkstemp(prefix="untact-qa-extract-", suffix=".json")
    os.close(fd)
    cmd = [sys.executable, "-m", "untact_qa.extract", "--cpu", str(limits.cpu_seconds), "--memory",
           str(limits.memory_mb), "--max-chars", str(limits.max_chars), str(path), name, out]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            err = _wait(proc, limits.wall_seconds, progress)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise CorpusError(f"{name}: reading it took longer than {limits.wall_seconds:.0f} s; stopped",
                              ko=f"{name}: 읽는 데 {limits.wall_seconds:.0f}초가 넘게 걸려 중단했습니다. "
                                 f"파일을 나누거나 텍스트(.txt)로 저장해 올려 주세요.") from None
        rc = proc.returncode
        if rc == 0:
            return Extracted.from_dict(json.loads(Path(out).read_text(encoding="utf-8")))
        if rc == EXIT_REFUSED:
            try:
                msg = json.loads(err.decode("utf-8", "replace").strip().splitlines()[-1])
                raise CorpusError(msg["message"], ko=msg.get("ko"))
            except (ValueError, KeyError, IndexError):
                pass
        if rc in (-signal.SIGXCPU, -signal.SIGKILL):
            raise CorpusError(f"{name}: reading it used more than {limits.cpu_seconds} s of CPU time; stopped "
                              f"(a page with too many drawing commands?)",
                              ko=f"{name}: 읽는 데 CPU 시간 한도({limits.cpu_seconds}초)를 넘어 중단했습니다. "
                                 f"그리기 명령이 지나치게 많은 PDF일 수 있습니다. 텍스트(.txt)로 저장해 올려 주세요.")
        if rc in (EXIT_MEMORY, -signal.SIGABRT):  # MemoryError, or PDFium's abort when an allocation fails
            raise CorpusError(f"{name}: reading it needed more than {limits.memory_mb} MB of memory; stopped",
                              ko=f"{name}: 읽는 데 메모리 한도({limits.memory_mb} MB)를 넘어 중단했습니다. "
                                 f"파일을 나누어 올려 주세요.")
        raise CorpusError(f"{name}: the reader stopped unexpectedly (exit {rc}); the file may be damaged",
                          ko=f"{name}: 파일을 읽다가 중단되었습니다 (손상되었거나 메모리 한도 {limits.memory_mb} MB를 "
                             f"넘는 파일일 수 있습니다).")
    finally:
        Path(out).unlink(missing_ok=True)


def _wait(proc: subprocess.Popen, wall: float, progress: ProgressFn | None) -> bytes:
    """Wait for the reader, giving it *wall* seconds from its start or its last progress line
    (``stage done total`` on its stdout); returns its stderr. Raises TimeoutExpired."""
    deadline = time.monotonic() + wall
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    err = bytearray()
    pending = b""
    open_fds = {out_fd, err_fd}
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            raise subprocess.TimeoutExpired(proc.args, wall)
        ready, _, _ = select.select(list(open_fds), [], [], left)
        for fd in ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.discard(fd)
                continue
            if fd == err_fd:
                err += chunk[: max(0, (1 << 20) - len(err))]
                continue
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                parts = line.decode("utf-8", "replace").split()
                if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                    deadline = time.monotonic() + wall  # the reader is moving: a fresh allowance
                    if progress is not None:
                        progress(parts[0], int(parts[1]), int(parts[2]))
    left = max(0.0, deadline - time.monotonic())
    proc.wait(timeout=left if left > 0 else 0.001)
    return bytes(err)


# One cited page for the viewer: a page is quick to render (0.1-0.3 s), so a page that is not
# done in a few seconds of CPU is a drawing bomb, and the viewer shows the text alone.
RENDER_CPU_SECONDS = 5


def render_pdf_page(path: str | Path, page: int, quotes: list[str], out: str | Path,
                    limits: UploadConfig | None = None) -> dict:
    """Render page *page* of the PDF at *path* with the first of *quotes* found on it
    highlighted (:func:`untact_qa.formats.pdf.render_page`) in a limited child process, as a
    PNG written to *out*; returns ``{"width", "height", "boxes", "pages"}``. The PDF is a
    user's upload: PDFium runs under the upload's memory limit and a CPU limit of
    :data:`RENDER_CPU_SECONDS`, so no page can hold a server thread. Raises
    :class:`CorpusError` with a Korean reason."""
    limits = limits or UploadConfig.from_env()
    cpu = max(1, min(limits.cpu_seconds, RENDER_CPU_SECONDS))
    wall = 2 * cpu + 10
    cmd = [sys.executable, "-m", "untact_qa.extract", "--render", "--cpu", str(cpu), "--memory",
           str(limits.memory_mb), str(path), str(int(page)), str(out)]
    # the quotes go on stdin: they are document text, not for every `ps` to show
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        got, err = proc.communicate(json.dumps([str(q)[:2000] for q in quotes[:4]]).encode("utf-8"), timeout=wall)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        got, err = b"", b""
    if proc.returncode == 0:
        try:
            return json.loads(got.decode("utf-8").strip().splitlines()[-1])
        except (ValueError, IndexError):
            pass
    Path(out).unlink(missing_ok=True)
    reason = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
    raise CorpusError(f"{Path(path).name}: page {page} could not be rendered ({reason[0][:200]})",
                      ko=f"{page}쪽을 그림으로 보여 줄 수 없습니다 (그리는 데 시간이나 메모리가 너무 많이 드는 쪽이거나 손상된 "
                         f"PDF일 수 있습니다). 아래의 추출한 글자로 확인해 주세요.")


def _limit_self(cpu: int, memory_mb: int) -> None:
    """This child's CPU seconds and address space (soft CPU limit: SIGXCPU; the hard limit a
    second later is SIGKILL, should the first be caught)."""
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    mem = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))


def _render_child(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m untact_qa.extract --render")
    p.add_argument("--cpu", type=int, required=True)
    p.add_argument("--memory", type=int, required=True)
    p.add_argument("path")
    p.add_argument("page", type=int)
    p.add_argument("out")
    a = p.parse_args(argv)
    _limit_self(a.cpu, a.memory)
    try:
        from .formats.pdf import render_page

        quotes = json.loads(sys.stdin.read(1 << 16) or "[]")
        got = render_page(Path(a.path), a.page, [q for q in quotes if isinstance(q, str)])
        with open(a.out, "wb") as f:
            f.write(got.pop("png"))
        print(json.dumps(got))
    except MemoryError:
        return EXIT_MEMORY
    except Exception as exc:  # noqa: BLE001 - a damaged page, a page the file lacks: one line
        print(f"{type(exc).__name__}: {exc}"[:500], file=sys.stderr)
        return EXIT_FAILED
    return 0


def _child(argv: list[str]) -> int:
    import argparse

    if argv[:1] == ["--render"]:
        return _render_child(argv[1:])

    p = argparse.ArgumentParser(prog="python -m untact_qa.extract")
    p.add_argument("--cpu", type=int, required=True)
    p.add_argument("--memory", type=int, required=True)
    p.add_argument("--max-chars", type=int, required=True)
    p.add_argument("path")
    p.add_argument("name")
    p.add_argument("out")
    a = p.parse_args(argv)
    _limit_self(a.cpu, a.memory)
    limits = UploadConfig(cpu_seconds=a.cpu, memory_mb=a.memory, max_chars=a.max_chars)

    def report(stage: str, done: int, total: int) -> None:
        print(f"{stage} {done} {total}", flush=True)  # the parent's clock restarts on each line

    try:
        from .sanitize import clean_document_text

        doc = extract_file(Path(a.path), a.name, max_chars=a.max_chars, progress=report)
        doc.text = clean_document_text(doc.text)
        if len(doc.text) > a.max_chars:
            raise too_long(a.name, len(doc.text), limits)
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(doc.to_dict(), f, ensure_ascii=False)
    except CorpusError as exc:
        print(json.dumps({"message": str(exc), "ko": exc.ko}, ensure_ascii=False), file=sys.stderr)
        return EXIT_REFUSED
    except MemoryError:
        return EXIT_MEMORY
    except Exception as exc:  # noqa: BLE001 - a reader bug or a file it chokes on: one line, no traceback
        print(f"{type(exc).__name__}: {exc}"[:500], file=sys.stderr)
        return EXIT_FAILED
    return 0


def check_upload(path: Path, original_name: str) -> None:
    """Refuse a file of another type, over the size limit, or empty (before reading it)."""
    suffix = Path(original_name).suffix.lower()
    if suffix not in ALLOWED:
        raise CorpusError(f"{original_name}: only {', '.join(ALLOWED)} files can be added (got '{suffix or 'no extension'}')",
                          ko=f"{original_name}: 읽을 수 없는 형식입니다. {', '.join(ALLOWED)} 파일만 추가할 수 있습니다.")
    size = path.stat().st_size
    if size > UploadConfig.max_bytes:
        raise CorpusError(f"{original_name}: {size / 1e6:.1f} MB is over the {UploadConfig.max_bytes // (1024 * 1024)} MB limit; split it",
                          ko=f"{original_name}: {size / 1e6:.1f} MB로 한도({UploadConfig.max_bytes // (1024 * 1024)} MB)를 넘습니다. "
                             f"나누어 올려 주세요.")
    if size == 0:
        raise CorpusError(f"{original_name}: file is empty", ko=f"{original_name}: 내용이 없는 빈 파일입니다.")


def extract_text(path: Path, original_name: str, max_chars: int | None = None) -> str:
    """Text of an uploaded file of any supported format; raises :class:`CorpusError` with a
    user-facing reason (see :func:`extract_file`)."""
    return extract_file(path, original_name, max_chars).text


def extract_file(path: Path, original_name: str, max_chars: int | None = None,
                 progress: ProgressFn | None = None) -> Extracted:
    """Text and location map of an uploaded file; raises :class:`CorpusError` with a reason.

    This runs in the calling process, without limits: the server reads uploads through
    :func:`untact_qa.extract.extract_document`, which runs it in a limited child process.
    A document stops being read once it has yielded more than *max_chars* characters.
    """
    check_upload(path, original_name)
    if Path(original_name).suffix.lower() in TEXT_SUFFIXES:
        return Extracted(read_document(path, original_name).text, [], "text", profile="")
    from .formats import extract

    return extract(path, original_name, Limits(max_chars=max_chars, progress=progress))


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
