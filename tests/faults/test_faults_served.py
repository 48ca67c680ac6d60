"""Fault suite, issue 26 rows 4-5: the files the server puts in Gradio's cache stay bounded and
private (untact_qa.serve.files, without a server: fast and deterministic)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from appkit import wait_for
from untact_qa.errors import CorpusError
from untact_qa.serve.files import PREFIX, ServedFiles


def gradio_upload(cache: Path, content: bytes, name: str) -> Path:
    """What Gradio's upload route does: a folder named by the content, the file renamed into it
    (a second upload of the same bytes and name replaces the first's file, new inode)."""
    import hashlib

    folder = cache / hashlib.sha256(content + name.encode()).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = cache / f"tmp{os.urandom(4).hex()}"
    tmp.write_bytes(content)
    os.rename(tmp, folder / name)
    return folder / name


def test_viewer_copies_are_one_per_version_bounded_and_purged_with_the_document(tmp_path):
    served = ServedFiles(tmp_path / "cache", keep_views=3)
    doc = tmp_path / "회의록.md"
    doc.write_text("# 회의록\n- 첫 판\n", encoding="utf-8")
    copies = {served.view_copy("uploads/회의록.md", doc) for _ in range(40)}
    assert len(copies) == 1 and len(list(served.root.glob("view-*"))) == 1  # 40 views, one copy
    doc.write_text("# 회의록\n- 둘째 판\n", encoding="utf-8")
    second = served.view_copy("uploads/회의록.md", doc)
    assert second not in copies and "둘째" in second.read_text(encoding="utf-8")
    for i in range(5):  # other documents push the oldest out: never more than keep_views
        other = tmp_path / f"문서{i}.md"
        other.write_text(f"# 문서 {i}\n", encoding="utf-8")
        served.view_copy(f"uploads/문서{i}.md", other)
    assert len(list(served.root.glob("view-*"))) == 3
    served.view_copy("uploads/회의록.md", doc)
    assert served.purge_doc("uploads/회의록.md") >= 1
    assert not [p for p in served.root.rglob("회의록.md")]  # no copy of a deleted document is served


def test_same_bytes_same_name_uploads_each_read_their_own_file(tmp_path):
    """Row 4: the first request to finish used to delete the file the second was reading."""
    served = ServedFiles(tmp_path / "cache", grace=3600)
    content = "정기 회의는 매주 월요일이다.\n".encode()
    first = gradio_upload(served.cache, content, "회의.txt")
    second = gradio_upload(served.cache, content, "회의.txt")  # the same path, replaced
    assert first == second
    a = served.claim(first)
    served.release(first, *a, doc_id="uploads/회의.txt")  # the first request is done
    b = served.claim(second)  # the second still finds its input
    assert b[0].read_bytes() == content
    served.release(second, *b, doc_id="uploads/회의 (2).txt")
    # a deleted document takes the cached upload with it at once
    served.purge_doc("uploads/회의 (2).txt")
    assert not first.exists()


def test_a_released_upload_goes_after_the_grace_period_and_an_expired_one_is_reported(tmp_path):
    served = ServedFiles(tmp_path / "cache", grace=0.2)
    up = gradio_upload(served.cache, b"x" * 10, "a.txt")
    claim = served.claim(up)
    served.release(up, *claim)
    # the timer unlinks the file, then its per-content folder: wait for both (two steps, no race)
    wait_for(lambda: not up.exists() and not up.parent.exists(), timeout=60)
    with pytest.raises(CorpusError) as err:
        served.claim(up)
    assert "다시 올려 주세요" in err.value.korean()


def test_a_claim_in_flight_keeps_the_shared_file(tmp_path):
    served = ServedFiles(tmp_path / "cache", grace=3600)
    up = gradio_upload(served.cache, b"y" * 10, "b.txt")
    a, b = served.claim(up), served.claim(up)
    served.release(up, *a)
    served._expire(str(up), a[1])  # the first release's timer fires (called here: no waiting on a clock)
    assert up.exists() and b[0].exists()  # the second request still reads it
    served.release(up, *b)
    served._expire(str(up), b[1])
    assert not up.exists()


def test_sweep_removes_zero_byte_files_empty_folders_and_dead_servers_folders(tmp_path):
    cache = tmp_path / "cache"
    served = ServedFiles(cache)
    old = time.time() - 3600
    junk = [cache / "tmpabc123", cache / ("d" * 64) / "tmpdef"]
    junk[1].parent.mkdir(parents=True)
    for p in junk:
        p.write_bytes(b"")
        os.utime(p, (old, old))
    os.utime(junk[1].parent, (old, old))  # an upload's folder from an hour ago
    empty = cache / ("e" * 64)
    empty.mkdir()
    os.utime(empty, (old, old))
    fresh = cache / "tmpfresh"  # an upload being written now: kept
    fresh.write_bytes(b"")
    dead = cache / f"{PREFIX}999999999-zz"  # a server that no longer runs (no such pid)
    (dead / "pair").mkdir(parents=True)
    (dead / "pair" / "untact-qa-대화.md").write_text("x", encoding="utf-8")
    live = cache / f"{PREFIX}{os.getpid()}-other"  # another live server's folder: kept
    (live / "pair").mkdir(parents=True)
    (live / "pair" / "f.md").write_text("y", encoding="utf-8")
    kept = cache / ("f" * 64) / "문서.txt"
    kept.parent.mkdir()
    kept.write_text("내용", encoding="utf-8")
    served.sweep()
    assert not any(p.exists() for p in junk) and not empty.exists() and not junk[1].parent.exists()
    assert fresh.exists() and not dead.exists() and live.exists() and kept.exists() and served.root.exists()


def test_page_images_are_rendered_once_per_version_page_and_quote_bounded_and_purged(tmp_path):
    """The viewer's PDF page pictures live with the viewer copies: one render per document
    version, page and quote (40 views, one render), the oldest pushed out past the bound, and
    none left once the document is deleted."""
    served = ServedFiles(tmp_path / "cache", keep_views=3)
    pdf = tmp_path / "보고서.pdf"
    pdf.write_bytes(b"%PDF-1.4 version one")
    renders = []

    def render(path, page, quotes, out):
        renders.append((path.read_bytes(), page, tuple(quotes)))
        out.write_bytes(b"\x89PNG fake " + str(len(renders)).encode())
        return {"width": 10, "height": 14, "boxes": 1, "pages": 3}

    shown = [served.page_image("uploads/보고서.pdf.txt", pdf, 2, ["인용문"], render) for _ in range(40)]
    assert len(renders) == 1 and len({p for p, _ in shown}) == 1
    image, info = shown[0]
    assert image.name == "page-2.png" and image.is_relative_to(served.root) and info["boxes"] == 1
    served.page_image("uploads/보고서.pdf.txt", pdf, 3, ["인용문"], render)  # another page
    served.page_image("uploads/보고서.pdf.txt", pdf, 2, ["다른 인용문"], render)  # another quote
    pdf.write_bytes(b"%PDF-1.4 version two")  # a replaced upload: drawn again
    served.page_image("uploads/보고서.pdf.txt", pdf, 2, ["인용문"], render)
    assert len(renders) == 4 and len(list(served.root.glob("page-*"))) == 3  # keep_views
    # a render that fails leaves nothing behind, and the next view tries again
    with pytest.raises(CorpusError):
        served.page_image("uploads/보고서.pdf.txt", pdf, 9, [], lambda *a: (_ for _ in ()).throw(CorpusError("x")))
    assert not [p for p in served.root.rglob("*") if p.name.endswith(".png") and "page-9" in str(p)]
    assert served.purge_doc("uploads/보고서.pdf.txt") == 3
    assert not list(served.root.glob("page-*"))


def test_a_page_too_costly_to_draw_is_stopped_and_the_viewer_says_why(tmp_path):
    """A one-page PDF of a few KB whose page paints itself over thousands of times: rendering
    it for the viewer is stopped by the CPU limit in the child process, the page sized to
    need 20 x that limit on this machine, so no server thread is held by it."""
    from faultkit import painting_bomb

    from untact_qa.config import UploadConfig
    from untact_qa.extract import render_pdf_page

    bomb = painting_bomb(tmp_path / "그림폭탄.pdf", cpu_seconds=1)
    image = tmp_path / "page.png"
    with pytest.raises(CorpusError) as err:
        render_pdf_page(bomb, 1, ["a"], image, UploadConfig(cpu_seconds=1))
    assert "1쪽을 그림으로 보여 줄 수 없습니다" in err.value.korean() and not image.exists()
    # the CPU limit stopped it (SIGXCPU), not the wall-clock backstop (SIGKILL) or a crash
    assert f"(exit -{int(signal.SIGXCPU)})" in str(err.value), str(err.value)
