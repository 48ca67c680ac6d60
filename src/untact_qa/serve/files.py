"""Files the chat server puts into Gradio's cache or takes out of it, kept bounded and private.

Gradio serves a file only from its cache folder and stores every upload there, in a folder
named by the file's content. Left alone that means: a copy of a document per "문서에서 보기"
(40 views, 40 copies, and one still downloadable after the document is deleted); two people
who upload the same bytes under the same name share one path, so the first to finish deleted
the second's file; and empty folders and zero-byte temp files pile up. Here:

* **viewer copies** (the original file "원본 파일 내려받기" gives) are one per document
  *version* (its content hash), and a PDF's **page images** one per version, page and quote;
  together at most ``keep`` entries / ``max_bytes`` (least recently viewed go first), and a
  deleted document's copies and images go with it (:meth:`ServedFiles.purge_doc`);
* **uploads** are claimed per request (:meth:`ServedFiles.claim`): each request reads its own
  hard link of Gradio's file, so no request can delete another's input. The shared file is
  removed ``grace`` seconds after its last claim is released (a second upload of the same
  bytes may still be waiting in the queue), at once when the document made from it is
  deleted, and by Gradio's own cache sweep at the latest;
* :meth:`ServedFiles.sweep` removes zero-byte files and empty folders from the cache, and the
  folders of this app's servers that are no longer running (a killed server cannot clean up);
* **conversation exports** (:class:`ExportFiles`) are written when asked, the newest few kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections import Counter, OrderedDict, deque
from collections.abc import Callable
from pathlib import Path

from ..config import ServeConfig
from ..errors import CorpusError

PREFIX = "untact-qa-export-"
UPLOAD_GRACE = 600.0  # seconds a released upload stays for a same-bytes upload still queued
SWEEP_AGE = 60.0  # a zero-byte file or empty folder this old is no upload in progress


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


class ServedFiles:
    """This server's files in Gradio's *cache* folder, under its own *root* (see the module)."""

    def __init__(self, cache: Path, root: Path | None = None, keep_views: int = 16,
                 view_bytes: int = 64 * 1024 * 1024, grace: float = UPLOAD_GRACE) -> None:
        self.cache = Path(cache)
        self.cache.mkdir(parents=True, exist_ok=True)
        # the pid in the name tells a later server whether this one still runs (see sweep)
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=self.cache))
        self.keep_views, self.view_bytes, self.grace = keep_views, view_bytes, grace
        self._views: OrderedDict[str, tuple[Path, int, str]] = OrderedDict()  # hash → (folder, bytes, doc)
        self._claims: Counter[str] = Counter()  # shared upload path → requests reading it now
        self._by_doc: dict[str, set[str]] = {}  # document id → shared upload paths it was made from
        self._lock = threading.Lock()

    # -- the document viewer's download and page image ------------------------------------------
    def view_copy(self, doc_id: str, path: Path) -> Path:
        """A copy of the file at *path* (document *doc_id*: its original as uploaded, or its text
        when it has none) that Gradio may serve, byte for byte: the same copy for every view of
        the same content."""
        data = Path(path).read_bytes()
        key = hashlib.sha256(data).hexdigest()[:24]
        with self._lock:
            got = self._views.get(key)
            if got and (got[0] / Path(path).name).is_file():
                self._views.move_to_end(key)
                return got[0] / Path(path).name
            folder = self.root / f"view-{key}"
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / Path(path).name
            tmp = folder / f".{uuid.uuid4().hex}.tmp"
            try:
                tmp.write_bytes(data)
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            self._views[key] = (folder, len(data), doc_id)
            self._bound()
            return target

    def page_image(self, doc_id: str, pdf: Path, page: int, quotes: list[str],
                   render: Callable[[Path, int, list[str], Path], dict]) -> tuple[Path, dict]:
        """The viewer's picture of page *page* of the PDF at *pdf* (document *doc_id*) with
        *quotes* highlighted, and what *render(pdf, page, quotes, out)* said of it (its size,
        how many boxes were drawn). Rendered once per document version, page and quote, then
        served from here; kept, bounded and purged with the viewer's copies. Rendering runs
        outside the lock (it takes a child process), so other views do not wait for it."""
        digest = hashlib.sha256(Path(pdf).read_bytes()).hexdigest()[:24]
        wanted = hashlib.sha256(json.dumps([int(page), list(quotes)], ensure_ascii=False).encode()).hexdigest()[:12]
        key = f"page-{digest}-{wanted}"
        image_name = f"page-{int(page)}.png"
        with self._lock:
            got = self._views.get(key)
            if got and (got[0] / image_name).is_file() and (got[0] / "page.json").is_file():
                self._views.move_to_end(key)
                return got[0] / image_name, json.loads((got[0] / "page.json").read_text(encoding="utf-8"))
            folder = self.root / key
            folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{uuid.uuid4().hex}.png"
        try:
            info = render(Path(pdf), int(page), list(quotes), tmp)
            (folder / "page.json").write_text(json.dumps(info), encoding="utf-8")
            os.replace(tmp, folder / image_name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            with self._lock:
                if key not in self._views:
                    shutil.rmtree(folder, ignore_errors=True)
            raise
        with self._lock:
            self._views[key] = (folder, (folder / image_name).stat().st_size, doc_id)
            self._views.move_to_end(key)
            self._bound()
        return folder / image_name, info

    def _bound(self) -> None:
        """Least recently viewed copies and page images go beyond ``keep_views`` / ``view_bytes``
        (the newest always stays). Call under the lock."""
        total = sum(n for _, n, _ in self._views.values())
        while len(self._views) > 1 and (len(self._views) > self.keep_views or total > self.view_bytes):
            _, (old, n, _) = self._views.popitem(last=False)
            total -= n
            shutil.rmtree(old, ignore_errors=True)

    # -- uploads --------------------------------------------------------------------------
    def claim(self, shared: Path) -> tuple[Path, int]:
        """This request's own link to the upload Gradio stored at *shared*, and the shared
        file's inode (see :meth:`release`). Raises :class:`CorpusError` when it is gone."""
        shared = Path(shared)
        private = self.root / f"claim-{uuid.uuid4().hex}" / shared.name
        private.parent.mkdir(parents=True)
        with self._lock:
            try:
                ino = os.stat(shared).st_ino
                try:
                    os.link(shared, private)
                except OSError:  # another file system, or links not allowed: a copy will do
                    shutil.copyfile(shared, private)
            except FileNotFoundError:
                shutil.rmtree(private.parent, ignore_errors=True)
                raise CorpusError(f"{shared.name}: the uploaded file is no longer on the server; upload it again",
                                  ko=f"{shared.name}: 올린 파일이 서버에 남아 있지 않습니다 (오래되어 정리되었습니다). "
                                     f"다시 올려 주세요.") from None
            self._claims[str(shared)] += 1
        return private, ino

    def release(self, shared: Path, private: Path, ino: int, doc_id: str | None = None) -> None:
        """This request is done with its claim: its link goes now, the shared file after the
        grace period (unless it was replaced by a newer upload, or is claimed again)."""
        shutil.rmtree(Path(private).parent, ignore_errors=True)
        key = str(shared)
        with self._lock:
            self._claims[key] -= 1
            if self._claims[key] <= 0:
                del self._claims[key]
            if doc_id:
                self._by_doc.setdefault(doc_id, set()).add(key)
        timer = threading.Timer(self.grace, self._expire, args=(key, ino))
        timer.daemon = True  # never keeps a stopping server alive
        timer.start()

    def _expire(self, shared: str, ino: int | None) -> None:
        with self._lock:
            if self._claims.get(shared):
                return  # read again meanwhile: that request's release schedules it again
            self._remove_upload(shared, ino)

    def _remove_upload(self, shared: str, ino: int | None = None) -> None:
        path = Path(shared)
        try:
            if ino is not None and os.stat(path).st_ino != ino:
                return  # a newer upload of the same bytes: its own request releases it
            path.unlink()
        except OSError:
            return
        try:
            path.parent.rmdir()  # Gradio's per-content folder, when nothing else is in it
        except OSError:
            pass

    # -- a deleted document ---------------------------------------------------------------
    def purge_doc(self, doc_id: str) -> int:
        """Remove every file served for *doc_id* (viewer copies, the uploads it was made from)
        now; returns how many folders or files went."""
        gone = 0
        with self._lock:
            for key in [k for k, (_, _, d) in self._views.items() if d == doc_id]:
                folder, _, _ = self._views.pop(key)
                shutil.rmtree(folder, ignore_errors=True)
                gone += 1
            for shared in self._by_doc.pop(doc_id, set()):
                if not self._claims.get(shared) and Path(shared).exists():
                    self._remove_upload(shared)
                    gone += 1
        return gone

    # -- sweeping -------------------------------------------------------------------------
    def sweep(self, min_age: float = SWEEP_AGE) -> int:
        """Remove, from the cache, zero-byte files and empty folders older than *min_age*
        seconds, and the folders of this app's servers that no longer run; returns how many."""
        now, gone = time.time(), 0
        for entry in list(self.cache.iterdir()) if self.cache.is_dir() else []:
            if entry.name.startswith(PREFIX) and entry.is_dir() and entry != self.root:
                pid = entry.name[len(PREFIX):].split("-", 1)[0]
                stale = not _alive(int(pid)) if pid.isdigit() else now - entry.stat().st_mtime > 86400
                if stale:
                    shutil.rmtree(entry, ignore_errors=True)
                    gone += 1
        for dirpath, dirnames, filenames in os.walk(self.cache, topdown=False):
            here = Path(dirpath)
            try:  # before its zero-byte files go: removing them makes the folder look fresh
                folder_age = now - here.stat().st_mtime
            except OSError:
                continue
            for name in filenames:
                p = here / name
                try:
                    st = p.stat()
                    if st.st_size == 0 and now - st.st_mtime > min_age and str(p) not in self._claims:
                        p.unlink()
                        gone += 1
                except OSError:
                    pass
            if here != self.cache and here != self.root:
                try:
                    if not any(here.iterdir()) and folder_age > min_age:
                        here.rmdir()
                        gone += 1
                except OSError:
                    pass
        return gone


class ExportFiles:
    """The conversation as Markdown and JSON files for the download buttons.

    Every answer refreshes the buttons, so each one writes a fresh pair. The folder lives
    inside Gradio's cache, so Gradio serves the files without copying them (one copy on
    disk, not two). Only the newest *keep* pairs, and at most *max_bytes* of them, stay on
    disk (the newest pair always does; defaults: :class:`~untact_qa.config.ServeConfig`). A
    pair is written completely or not at all.
    """

    def __init__(self, root: Path | None = None, keep: int | None = None, max_bytes: int | None = None) -> None:
        if root is None:
            from gradio.utils import get_upload_folder

            cache = Path(get_upload_folder())
            cache.mkdir(parents=True, exist_ok=True)
            root = tempfile.mkdtemp(prefix="untact-qa-export-", dir=cache)
        self.root = Path(root)
        self.keep = keep or ServeConfig.keep_exports
        self.max_bytes = max_bytes or ServeConfig.export_bytes
        self._folders: deque[tuple[Path, int]] = deque()
        self._lock = threading.Lock()

    def write(self, turns: list[dict]) -> tuple[Path, Path]:
        """Paths of the Markdown and JSON export of *turns*."""
        from ..sanitize import fix_surrogates
        from ..ui_render import export_json, export_markdown

        # rendered first (a turn that cannot be rendered leaves nothing behind), as valid UTF-8
        md_text = fix_surrogates(export_markdown(turns)).encode("utf-8")
        js_text = fix_surrogates(export_json(turns)).encode("utf-8")
        folder = self.root / uuid.uuid4().hex
        folder.mkdir(parents=True)
        md, js = folder / "untact-qa-대화.md", folder / "untact-qa-대화.json"
        try:
            md.write_bytes(md_text)
            js.write_bytes(js_text)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        with self._lock:
            self._folders.append((folder, len(md_text) + len(js_text)))
            total = sum(n for _, n in self._folders)
            while len(self._folders) > 1 and (len(self._folders) > self.keep or total > self.max_bytes):
                old, n = self._folders.popleft()
                total -= n
                shutil.rmtree(old, ignore_errors=True)
        return md, js
