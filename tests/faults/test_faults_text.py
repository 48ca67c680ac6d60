"""Fault suite, text that crosses a boundary and the small rows: --top-k, the hard chunk size,
truncation said once, feedback de-duplicated and rotated, the Markdown export, crafted
restored turns, NUL bytes in uploads, the honest wording of the saved conversation."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from faultkit import ask_ok, cli, copy_index, one_error_line


@pytest.fixture(scope="module")
def env(tmp_path_factory, settings, built_index):
    return copy_index(settings, tmp_path_factory.mktemp("fault-text"))


# -- row 9: --top-k ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["0", "-1", "101"])
def test_top_k_out_of_range_is_refused_not_replaced(env, value):
    one_error_line(cli("search", "재택근무", "--top-k", value, env=env), "--top-k must be between 1 and 100",
                   f"got {value}")
    one_error_line(cli("ask", "재택근무", "--top-k", value, env=env), "--top-k must be between 1 and 100")


def test_question_truncated_is_said_once_and_a_surrogate_argument_is_answered(env):
    r = cli("ask", "베트남의 현금 사용률은? " + "가" * 600, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stderr.count("question truncated") == 1, r.stderr
    # undecodable bytes on a command line arrive as lone surrogates (surrogateescape)
    r = cli("ask", "베트남의\udced 현금 사용률은?", env=env)
    assert r.returncode == 0 and "90%" in r.stdout and "Traceback" not in r.stderr, r.stderr[-2000:]
    ask_ok(env)


# -- row 9: a hard maximum chunk size ------------------------------------------------------------------
def test_a_600_kb_line_without_spaces_gives_chunks_under_the_hard_maximum():
    from untact_qa.chunking import ChunkingConfig, chunk_document
    from untact_qa.schema import Document

    cfg = ChunkingConfig()
    line = ("비대면경제의확산과디지털전환의가속" * 12_000)[:200_000]  # 600 KB of UTF-8, no space, no full stop
    chunks, rep = chunk_document(Document("uploads/line.txt", "제목\n\n" + line + "\n"), cfg)
    assert chunks and max(len(c.text) for c in chunks) <= 2 * cfg.max_chars
    assert sum(len(c.text) for c in chunks) >= len(line)  # nothing lost
    assert all(rep.text[c.start:c.end] == c.text for c in chunks)


def test_the_hard_split_changes_nothing_for_sentences_up_to_twice_max_chars():
    from untact_qa.chunking import ChunkingConfig, split_long
    from untact_qa.schema import Sentence

    cfg = ChunkingConfig()
    text = "가" * 900 + " " + "나" * 901
    s1, s2 = Sentence(0, 900, text[:900]), Sentence(901, 1802, text[901:])
    assert split_long([s1], text, cfg) == [s1]
    pieces = split_long([s1, s2], text, cfg)
    assert pieces[0] is s1 and [p.end - p.start for p in pieces[1:]] == [450, 450, 1]
    assert "".join(p.text for p in pieces[1:]) == text[901:]


# -- row 4: feedback ------------------------------------------------------------------------------
def _turn(i=1, **kw):
    t = {"id": i, "time": "2026-11-25 10:00", "question": f"질문 {i}", "question_chars": 4, "searched_query": f"질문 {i}",
         "truncated_to": None, "answer": f"답 {i} [1]", "abstained": False, "reason": "", "vote": None,
         "citations": [{"n": 1, "doc": "d.md", "heading": "h", "lines": [3, 4], "passage": "앞 증거 뒤",
                        "evidence": [2, 4]}], "others": []}
    t.update(kw)
    return t


def test_two_hundred_votes_on_one_answer_keep_one_row_with_the_last_vote(tmp_path):
    from untact_qa.ui import record_feedback

    path = tmp_path / "feedback.jsonl"
    for i in range(200):
        record_feedback(path, _turn(), "like" if i % 2 else "dislike")
    record_feedback(path, _turn(2), "like")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["question"], r["vote"]) for r in rows] == [("질문 1", "like"), ("질문 2", "like")]
    assert path.stat().st_size < 2_000


def test_feedback_rotates_and_stays_bounded(tmp_path):
    from untact_qa.feedback import record

    path = tmp_path / "feedback.jsonl"
    for i in range(400):
        record(path, _turn(i + 1, answer="긴 답 " * 50), "like", max_bytes=20_000, keep=2)
    files = sorted(p.name for p in tmp_path.glob("feedback*.jsonl"))
    assert files == ["feedback.1.jsonl", "feedback.2.jsonl", "feedback.jsonl"]
    assert sum(p.stat().st_size for p in tmp_path.glob("feedback*.jsonl")) <= 3 * 20_000
    last = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    assert last["question"] == "질문 400"


# -- row 9: the Markdown export, crafted restored turns --------------------------------------------------
def test_markdown_export_escapes_raw_html():
    from untact_qa.ui_render import export_markdown

    t = _turn(question="<script>q</script>", answer="<img src=x onerror=alert(1)> [1]",
              citations=[{"n": 1, "doc": "<b>d</b>.md", "heading": "h > <i>i</i>", "lines": [3, 4],
                          "passage": "앞 <iframe src=//evil> 뒤", "evidence": [0, 21]}])
    md = export_markdown([t])
    assert "<" not in md.replace("&lt;", "") and "&lt;script>q&lt;/script>" in md and "&lt;iframe" in md
    assert "- [1] &lt;b>d&lt;/b>.md, 3–4행 — h > &lt;i>i&lt;/i>" in md


def test_restored_turns_with_raw_html_in_lines_and_rank_or_no_time_are_cleaned():
    from untact_qa.ui import valid_turns
    from untact_qa.ui_render import export_markdown, render_conversation, render_sources

    crafted = [_turn(1, citations=[{"n": 1, "doc": "d", "heading": "h", "lines": ["<img src=x onerror=alert(1)>", 2],
                                   "passage": "p", "evidence": [0, 1]}]),
               _turn(2, others=[{"doc": "d", "heading": "h", "rank": "<script>alert(1)</script>", "lines": [1, 1],
                                 "passage": "p"}]),
               _turn(3, truncated_to="<b>500</b>"),
               _turn(4, id=True),
               {k: v for k, v in _turn(5, question="시각 없는 질문").items() if k != "time"},
               _turn(6, answer="정상 답 [1]", vote="<img>")]
    turns = valid_turns(crafted)
    assert [t["question"] for t in turns] == ["시각 없는 질문", "질문 6"]
    assert turns[1]["vote"] is None
    out = render_conversation(turns) + render_sources(turns)
    assert "<img" not in out and "<script" not in out
    assert "## 질문 5 ()" in export_markdown(turns)  # a missing time is tolerated


def test_a_restored_turn_with_a_lone_surrogate_exports(tmp_path):
    from untact_qa.ui import ExportFiles, valid_turns

    turns = valid_turns([_turn(1, question="질문\ud800 하나", answer="답\udfff [1]")])
    md, js = ExportFiles(tmp_path, keep=2).write(turns)
    assert "질문\ufffd 하나" in md.read_text(encoding="utf-8") and json.loads(js.read_text(encoding="utf-8"))


def test_export_files_are_capped_by_count_and_bytes(tmp_path):
    from untact_qa.ui import ExportFiles

    files = ExportFiles(tmp_path, keep=50, max_bytes=30_000)
    turns = [_turn(i, answer="긴 답 " * 400) for i in range(1, 4)]
    for _ in range(10):
        files.write(turns)
    total = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert 0 < total <= 30_000 and len(list(tmp_path.iterdir())) < 10


# -- row 9: NUL bytes in uploads ---------------------------------------------------------------------
def test_nul_bytes_past_the_binary_check_are_stripped_from_an_upload(tmp_path):
    from untact_qa.extract import extract_isolated

    doc = tmp_path / "nul.txt"
    doc.write_bytes(("가" * 3000 + "\n").encode() + b"end\x00of\x1bfile\n")
    text = extract_isolated(doc, "nul.txt")
    assert "\x00" not in text and "\x1b" not in text and text.endswith("endoffile\n")


# -- row 9: the saved conversation is described honestly ---------------------------------------------
def test_readme_says_the_saved_conversation_is_not_encrypted():
    """(the page itself says so too: test_faults_ui)"""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "encrypted `localStorage`" not in readme and "Neither is encryption" in readme


# -- row 5: a crafted restored turn is refused before anything is written -----------------------------
def _crafted_turn(i=1, citations=20_000):
    """The probe's turn: 20,000 citations with 500-character document names (~11.8 MB as JSON)."""
    doc = "d" * 495 + ".md"
    return _turn(i, question=f"크게 만든 질문 {i}", citations=[
        {"n": 1 + k % 1000, "doc": doc, "heading": "h", "lines": [1, 2], "passage": "p", "evidence": [0, 1]}
        for k in range(citations)])


def test_a_restored_turn_over_the_caps_is_dropped_and_a_real_one_kept():
    from untact_qa.ui import valid_turns

    passage = "비대면 경제의 확산으로 원격 근무가 늘었다. " * 35  # a chunk at its hard maximum (~900 chars)
    real = _turn(1, answer="요약 [1] [2] [3] [4] [5] [6]", citations=[
        {"n": n, "doc": "untact-economy-report.txt", "heading": "Ⅲ. 국가별 동향 > 1. 중국", "lines": [10, 20],
         "passage": passage, "evidence": [0, 30]} for n in range(1, 7)],
        others=[{"doc": "untact-economy-report.txt", "heading": "h", "rank": r, "lines": [1, 2], "passage": passage}
                for r in range(1, 5)])
    big_passages = _turn(2, citations=[{"n": n, "doc": "d.md", "heading": "h", "lines": [1, 2], "passage": "가" * 20_000,
                                        "evidence": [0, 1]} for n in range(1, 101)])  # 6 MB: within counts, over size
    many_others = _turn(3, others=[{"doc": "d", "heading": "h", "rank": 1, "lines": [1, 1], "passage": "p"}] * 5_000)
    kept = valid_turns([real, _crafted_turn(4), big_passages, many_others, _turn(5)])
    assert [t["id"] for t in kept] == [1, 5]
    assert len(kept[0]["citations"]) == 6 and len(kept[0]["others"]) == 4


def test_four_votes_on_crafted_turns_keep_the_feedback_files_within_the_readme_bound(tmp_path):
    """The README promises at most (keep + 1) × max_bytes (4 MB) whatever is voted on; the row is
    capped even for a turn that never went through the restore checks."""
    from untact_qa.feedback import KEEP, MAX_BYTES, record

    path = tmp_path / "feedback.jsonl"
    for i in range(1, 5):
        record(path, _crafted_turn(i), "like")
    files = list(tmp_path.glob("feedback*.jsonl"))
    assert all(p.stat().st_size <= MAX_BYTES for p in files), [p.stat().st_size for p in files]
    assert sum(p.stat().st_size for p in files) <= (KEEP + 1) * MAX_BYTES
    rows = [json.loads(line) for p in files for line in p.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["question"] for r in rows) == [f"크게 만든 질문 {i}" for i in range(1, 5)]
    assert all(r["vote"] == "like" and r["citations"] for r in rows)


def test_a_feedback_row_fits_a_small_max_bytes(tmp_path):
    from untact_qa.feedback import record

    path = tmp_path / "feedback.jsonl"
    for i in range(1, 30):
        record(path, _turn(i, answer="아주 긴 답 " * 3000), "dislike", max_bytes=4_000, keep=2)
    files = list(tmp_path.glob("feedback*.jsonl"))
    assert len(files) == 3 and all(0 < p.stat().st_size <= 4_000 for p in files)
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[-1])["question"] == "질문 29"


# -- row 9: the saved conversation parsed safely, conversation titles -----------------------------------
def test_parse_saved_survives_deep_nesting_and_huge_text():
    from untact_qa.sanitize import MAX_SAVED_CHARS, parse_saved

    assert parse_saved("[" * 100_000) is None
    assert parse_saved("[" * 100_000 + "]" * 100_000) is None
    assert parse_saved('[{"a": ' * 50_000 + "1" + "}]" * 50_000) is None
    assert parse_saved(json.dumps([{"q": "[[[[" * 50_000}])) == [{"q": "[[[[" * 50_000}]  # brackets inside text
    assert parse_saved(" " * (MAX_SAVED_CHARS + 1) + "[]") is None  # refused before parsing
    assert parse_saved(json.dumps([_turn(1)])) == [_turn(1)]
    for bad in (None, "", "{not json", '{"a": 1}', "3", b"[]", "[1, 2"):
        assert parse_saved(bad) is None, bad


def test_clean_title_drops_surrogates_controls_and_bidi_overrides():
    from untact_qa.sanitize import clean_title

    t = clean_title("회의\ud800 메모\x00\x07 \u202e\u2066txt.exe\u2069\u200b  \t\n 끝")
    assert t == "회의 메모 txt.exe 끝"
    t.encode("utf-8")  # no lone surrogate left
    assert clean_title("가" * 500) == "가" * 80 and len(clean_title(" 나" * 500)) <= 80
    assert clean_title(None) == "" and clean_title("   ") == "" and clean_title(12) == "12"
    assert clean_title("가족 👨\u200d👩\u200d👧 사진") == "가족 👨\u200d👩\u200d👧 사진"  # an emoji's joiners stay


# -- row 9: UTF-16 without a BOM ---------------------------------------------------------------------------
UTF16_TEXT = "□ 회의록\n - 비대면 회의는 매주 목요일 10시에 열린다.\n - Zoom 링크는 공지를 참고한다.\n"


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_bom_is_read_as_text(tmp_path, enc):
    from untact_qa.corpus import decode
    from untact_qa.extract import extract_isolated

    assert decode(UTF16_TEXT.encode(enc), "memo.txt") == (UTF16_TEXT, enc)
    doc = tmp_path / "memo.txt"
    doc.write_bytes((UTF16_TEXT * 200).encode(enc))
    assert "비대면 회의는 매주 목요일" in extract_isolated(doc, "memo.txt")


def test_binary_files_are_still_refused_after_the_utf16_check():
    import random
    import struct

    from untact_qa.corpus import decode
    from untact_qa.errors import CorpusError

    rng = random.Random(26)
    blobs = [b"\x00\x01\x02\x03binary",
             b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(4000),
             rng.randbytes(8192),
             struct.pack("<2000h", *[rng.randrange(0, 40) for _ in range(2000)]),  # small 16-bit samples
             struct.pack(">2000h", *[rng.randrange(0, 40) for _ in range(2000)]),
             struct.pack("<1000i", *range(1000)),
             ("가나다라 " * 200).encode() + b"\x00",  # UTF-8 with a NUL: not UTF-16 by accident
             ("가나다라 " * 200).encode("utf-16-le")[1:]]  # odd length
    for raw in blobs:
        with pytest.raises(CorpusError, match="binary"):
            decode(raw, "blob.txt")
