"""Ingestion of real documents: PDFs made here from multi-paragraph Korean text, the
Constitution (statute), PDF-extracted assembly bills, and legacy encodings.

The measure is the one a reader cares about: every source sentence comes out whole (no word
glued, none split, none lost) inside one unit, and its citation names the lines it is on.
"""

import json
import re

import pytest

from conftest import BILLS, CONSTITUTION, ROOT
from pdfdocs import font_covers, roundtrip, score, source_sentences
from untact_qa.chunking import chunk_document
from untact_qa.corpus import load_corpus, read_document
from untact_qa.errors import CorpusError
from untact_qa.schema import Document
from untact_qa.textrepair import repair

KORQUAD = ROOT / "eval" / "suites" / "korquad-open" / "KorQuAD_v1.0_dev.json"


def _korquad_blocks(first: int, last: int, per_article: int = 3):
    data = json.loads(KORQUAD.read_text(encoding="utf-8"))["data"]
    blocks = []
    for art in data[first:last]:
        blocks.append(("heading", art["title"].replace("_", " ")))
        blocks += [("text", p["context"]) for p in art["paragraphs"][:per_article] if font_covers(p["context"])]
    return blocks


def _constitution_blocks():
    text = read_document(CONSTITUTION, "constitution.txt").text
    blocks = []
    for line in text.split("\n"):
        s = line.strip()
        if s:
            # (the statute site's toggle words around the addenda heading are no part of the law)
            s = re.sub(r"^펼침\s+(부칙.*?)\s+부칙보기$", r"\1", s)
            blocks.append(("heading" if re.match(r"제\d+장|부칙", s) else "text", s))
    return blocks


@pytest.fixture(scope="module")
def pdf_results(tmp_path_factory):
    """Three PDFs of different text, widths and pages, scored sentence by sentence."""
    tmp = tmp_path_factory.mktemp("pdfs")
    cases = {
        "wikipedia-a": (_korquad_blocks(0, 12), {"width": 34, "header": "위키백과 발췌"}, False),
        "wikipedia-b": (_korquad_blocks(12, 30), {"width": 28, "header": "위키백과 발췌 2"}, False),
        "constitution": (_constitution_blocks(), {"width": 36, "header": "대한민국헌법"}, True),
    }
    out = {}
    for name, (blocks, layout, statute) in cases.items():
        doc, rep = roundtrip(blocks, tmp, name, **layout)
        sents = source_sentences(blocks, statute=statute)
        out[name] = (len(sents), *score(sents, doc, rep), rep)
    return out


def test_pdf_sentences_come_out_whole_with_their_lines(pdf_results):
    total = sum(r[0] for r in pdf_results.values())
    whole = sum(r[1] for r in pdf_results.values())
    cited = sum(r[2] for r in pdf_results.values())
    misses = [m for r in pdf_results.values() for m in r[3]]
    assert total > 600
    assert whole / total >= 0.98, misses[:10]
    assert cited / total >= 0.98, misses[:10]
    for name, (n, w, c, _, _) in pdf_results.items():
        assert w / n >= 0.95, name


def test_pdf_extraction_is_profiled_as_pdf_and_loses_page_furniture(pdf_results):
    for name, (*_, rep) in pdf_results.items():
        assert rep.rules.profile == "pdf", name
        assert rep.dropped_lines, name  # "- N -" and the running headers
        assert not re.search(r"(^|\n)- \d+ -", rep.text), name
    assert pdf_results["constitution"][-1].rules.statute


def test_pdf_whose_extractor_loses_break_spaces_still_mostly_whole(tmp_path):
    """The hard case: no space survives at a line break, so Kiwi alone decides glue vs space.
    Measured ~91% whole on Wikipedia text (noun compounds are the usual miss: "헌법재판관" vs
    "헌법 재판관"); this guards against regressions, it is not the 98% bar above."""
    blocks = _korquad_blocks(0, 10)
    doc, rep = roundtrip(blocks, tmp_path, "stripped", strip_spaces=True, width=34)
    sents = source_sentences(blocks)
    whole, _, _ = score(sents, doc, rep)
    assert whole / len(sents) >= 0.85


def test_the_constitution_as_plain_text():
    doc = read_document(CONSTITUTION, "constitution.txt")
    rep = repair(doc.text, name=doc.doc_id)
    sents = source_sentences(_constitution_blocks(), statute=True)
    whole, cited, misses = score(sents, doc, rep)
    assert whole == len(sents), misses[:5]
    assert cited == len(sents), misses[:5]


def test_pdf_extracted_bills_match_the_hand_written_sentences():
    gold = json.loads((ROOT / "tests" / "data" / "kobill_gold.json").read_text(encoding="utf-8"))
    total = whole = cited = 0
    misses = []
    for name, sentences in gold.items():
        if name.startswith("_"):
            continue
        doc = read_document(BILLS / name, name)
        rep = repair(doc.text, name=name)
        w, c, m = score(sentences, doc, rep)
        total, whole, cited = total + len(sentences), whole + w, cited + c
        misses += [f"{name}: {x}" for x in m]
    assert total >= 60
    assert whole / total >= 0.98, misses
    assert cited / total >= 0.98, misses


def test_chunks_of_a_statute_carry_their_article():
    doc = read_document(CONSTITUTION, "constitution.txt")
    chunks, _ = chunk_document(doc)
    first = next(c for c in chunks if "민주공화국" in c.text)
    # the statute's title line heads every path, then its chapter and article
    assert first.heading_path == ("대한민국헌법", "제1장 총강", "제1조")
    assert first.text.startswith("① 대한민국은 민주공화국이다.")
    assert all(c.text for c in chunks)


def test_markdown_paragraphs_become_separate_passages():
    paras = [
        "원격 근무 제도는 2020년 3월에 시범 도입되었다. 처음에는 주 1회만 허용했고 대상은 개발 부서에 한정되었다. "
        "6개월 동안 생산성과 만족도를 측정한 결과 두 지표 모두 도입 전보다 높게 나타났다.",
        "회의 방식도 바뀌었다. 모든 정례 회의는 화상으로 열리며 회의록은 공유 문서에 남긴다. "
        "대면 회의는 분기별 전략 회의와 신입 사원 교육에만 남겨 두었다.",
        "보안 정책은 별도로 정했다. 사내 시스템에는 가상 사설망으로만 접속할 수 있고, 개인 기기에는 업무 자료를 "
        "저장할 수 없다. 위반하면 접속 권한이 즉시 정지된다.",
    ]
    doc = Document("uploads/policy.md", "# 근무 제도\n\n" + "\n\n".join(paras) + "\n")
    chunks, _ = chunk_document(doc)
    assert [c.text for c in chunks] == paras


def test_legacy_korean_encodings_are_read_and_recorded(tmp_path):
    text = "비대면 진료는 2020년에 한시적으로 허용되었다.\n원격 수업도 확대되었다.\n"
    (tmp_path / "cp949.txt").write_bytes(text.encode("cp949"))
    (tmp_path / "euckr.txt").write_bytes(text.encode("euc-kr"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = load_corpus(tmp_path)
    assert not result.errors
    docs = {d.doc_id: d for d in result.documents}
    assert all(d.text == text for d in docs.values())
    assert docs["cp949.txt"].encoding == "cp949" and docs["euckr.txt"].encoding == "cp949"
    assert docs["utf16.txt"].encoding == "utf-16" and docs["bom.txt"].encoding == "utf-8"


def test_undecodable_and_binary_files_are_refused_with_the_fix(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CorpusError, match="re-save it as UTF-8"):
        read_document(tmp_path / "bad.txt", "bad.txt")
    (tmp_path / "bin.txt").write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(CorpusError, match="binary"):
        read_document(tmp_path / "bin.txt", "bin.txt")
    (tmp_path / "latin.txt").write_bytes(bytes([0x80, 0xff, 0x80, 0xff]))
    with pytest.raises(CorpusError, match="not UTF-8, UTF-16 or CP949"):
        read_document(tmp_path / "latin.txt", "latin.txt")


def test_corpus_settings_file_overrides_rules_per_file(tmp_path):
    (tmp_path / "a.txt").write_text("첫 줄\n둘째 줄\n", encoding="utf-8")
    (tmp_path / "untact-qa.json").write_text(json.dumps({"repair": {"a.*": {"profile": "pdf"}},
                                                         "aliases": {"한국": ["우리나라"]}}), encoding="utf-8")
    result = load_corpus(tmp_path)
    assert result.documents[0].repair == {"profile": "pdf"}
    assert result.settings.aliases == {"한국": ["우리나라"]}
    chunks, rep = chunk_document(result.documents[0])
    assert rep.rules.profile == "pdf"
    (tmp_path / "untact-qa.json").write_text('{"repair": {"a.txt": {"glue_all": true}}}', encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown repair rule.*glue_all"):
        load_corpus(tmp_path)
