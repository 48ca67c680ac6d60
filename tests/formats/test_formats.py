"""Every document format: extracted (in the limited child process), structure kept (headings,
items, table rows that keep their headers), located (page, slide, sheet row, paragraph), added
in bulk through ``untact-qa add`` and answered by the real model with the right citation."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "faults"))

import docmakers  # noqa: E402
import hwpwriter  # noqa: E402

HWP_DATA = ROOT / "tests" / "data" / "hwp"


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, Path]:
    return docmakers.make_all(tmp_path_factory.mktemp("docs"))


def _extract(path: Path):
    from untact_qa.extract import extract_document

    return extract_document(path, path.name)


def test_every_format_keeps_structure_and_locations(docs):
    """Through the limited child process: headings, list items, rows as header statements, and
    the location of every table row."""
    want = {
        "원격수업.hwp": ["# 원격수업 운영 현황 보고", "## 학교급별 원격수업 비율",
                      "학교급: 고등학교 | 원격수업 비율: 27% | 쌍방향 수업 비중: 58%", "- 교사 연수 시간을",
                      "글상자: 원격수업 만족도는", "주: 표본은 학교급별"],
        "공공데이터-배포용.hwp": ["# 공공데이터 개방 계획(배포용)", "분야: 보건 | 개방 목표(종): 640"],
        "비대면진료.hwpx": ["## 아세안 국가별 결제 지표", "국가: 베트남 | 현금 사용률: 90% | 전자지갑 이용률: 29%",
                        "주: 재진 환자 위주로"],
        "원격근무거점.docx": ["# 지역별 원격근무 거점 지원 사업", "## 운영 방식", "- 입주 기업은 최대 2년까지",
                         "지역: 부산 | 거점 센터 수: 6곳 | 지원 예산: 12억 원"],
        "스마트물류.pptx": ["# 스마트 물류 도입 현황", "- 로봇 피킹 도입 기업은", "# 창고별 자동화율",
                        "창고: 김해 센터 | 자동화율: 64% | 하루 처리량: 25만 상자", "노트: 평택 센터는"],
        "온라인매출.xlsx": ["# 분기별 매출", "2024년 온라인 유통 매출 현황",
                         "분기: 3분기 | 온라인 매출: 1790 | 오프라인 매출: 2204 | 온라인 비중: 44.8%", "# 배송"],
        "공유킥보드.csv": ["도시: 인천 | 공유 킥보드 대수: 9,800 | 하루 이용 건수: 4만 2천"],
        "무인매장.html": ["# 무인 매장 확산", "업종: 밀키트 판매점 | 무인 매장 수: 1,100곳 | 전년 대비 증가율: 120%",
                       "- 무인 매장의 도난 신고는"],
        "헬스케어.pdf": ["원격 모니터링 서비스 가입자는 120만 명이다.", "60대 | 19%"],
    }
    for name, pieces in want.items():
        got = _extract(docs[name])
        for piece in pieces:
            assert piece in got.text, (name, piece, got.text)
        assert got.locations and got.locations[0][0] == 1, (name, got.locations)
        lines = got.text.split("\n")
        for file, _, _, _, _, loc in docmakers.FACTS:
            if file == name and loc:  # the location of the table question's line is its row's
                assert loc in [label for _, label in got.locations], (name, loc, got.locations)
        for line_no, label in got.locations:
            assert 1 <= line_no <= len(lines), (name, line_no, label)
    # navigation, footer and scripts of the page are not its text
    page = _extract(docs["무인매장.html"]).text
    assert not any(x in page for x in ("로그인", "오늘의 운세", "Copyright", "광고 추적"))
    assert _extract(docs["헬스케어.pdf"]).locations == [(1, "1쪽"), (4, "2쪽")]


def test_real_hwp_files_from_the_hangul_program():
    """Files written by Hangul itself: plain text, text boxes (grouped too), 덧말, 글자 겹침."""
    from untact_qa.formats import extract

    expect = {"hello_world.hwp": "Hello World!", "draw_text.hwp": "글상자2", "group_with_draw_text.hwp": "테스트2",
              "dutmal.hwp": "본문 입니다(위 덧말 입니다)", "over_type.hwp": "가나다라마바사아"}
    for name, text in expect.items():
        got = extract(HWP_DATA / name, name)
        assert text in got.text and got.format == "hwp", (name, got.text)


def test_hwp_variants_uncompressed_distribution_password(tmp_path):
    from untact_qa.errors import CorpusError
    from untact_qa.formats import extract

    blocks = docmakers.HWP_BLOCKS
    plain = extract(hwpwriter.hwp(blocks, tmp_path / "a.hwp", compressed=False), "a.hwp")
    packed = extract(hwpwriter.hwp(blocks, tmp_path / "b.hwp"), "b.hwp")
    assert plain.text == packed.text and "학교급: 중학교 | 원격수업 비율: 23%" in plain.text
    # 배포용: the body is in ViewText, encrypted; BodyText holds only a notice
    dist = extract(hwpwriter.hwp([blocks, blocks[:2]], tmp_path / "c.hwp", distributed=True), "c.hwp")
    assert "학교급: 특수학교 | 원격수업 비율: 9%" in dist.text and "배포용 문서입니다" not in dist.text
    assert "배포용 문서" in dist.notes and (1, "1구역 문단 1") in dist.locations
    assert any(label.startswith("2구역") for _, label in dist.locations)
    with pytest.raises(CorpusError) as err:
        extract(hwpwriter.hwp(blocks, tmp_path / "d.hwp", password=True), "d.hwp")
    assert "암호가 걸린 한글 문서" in err.value.korean()
    # an OLE file that is not HWP (a Word 97 .doc)
    (tmp_path / "e.hwp").write_bytes(hwpwriter.cfb({"WordDocument": b"x" * 600}))
    with pytest.raises(CorpusError) as err:
        extract(tmp_path / "e.hwp", "e.hwp")
    assert "한글 5.0 이상 형식의 문서가 아닙니다" in err.value.korean()


def test_private_use_and_fullwidth_characters_are_normalised():
    from untact_qa.formats import normalize_chars

    assert normalize_chars("\uf0a7 재택근무\ue000율 ＡＩ１２") == "▪ 재택근무율 AI12"
    assert normalize_chars("ᄒᆞᆫ글") == "ᄒᆞᆫ글"  # old Hangul in conjoining jamo stays searchable as written


def test_wrong_suffix_is_read_as_what_the_file_is(docs, tmp_path):
    from untact_qa.formats import extract, format_for

    fake = tmp_path / "보고서.hwpx"
    shutil.copy(docs["원격근무거점.docx"], fake)
    assert format_for(fake, fake.name) == "docx"
    assert "지역: 대전" in extract(fake, fake.name).text


def test_scanned_pdf_is_read_by_ocr_with_pages(tmp_path):
    """Two pages of the report rendered, rasterised and read back by Tesseract."""
    import scanmaker
    from untact_qa.formats.ocr import available

    if available():
        pytest.fail(f"OCR is not installed ({available()}): run `make ocr` (the test target installs it)")
    lines = (ROOT / "corpus" / "untact-economy-report.txt").read_text(encoding="utf-8").split("\n")[:70]
    text_pdf = scanmaker.text_pdf(lines, tmp_path / "report.pdf")
    scan = scanmaker.image_only(text_pdf, tmp_path / "scan.pdf", dpi=150)
    seen = []
    from untact_qa.extract import extract_document

    got = extract_document(scan, "scan.pdf", progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert "글자 인식(OCR) 2쪽" in got.notes and [x for _, x in got.locations] == ["1쪽", "2쪽"]
    for phrase in ("코로나19와 재택/원격 근무", "61.3%", "유연근무제"):
        assert phrase in got.text, got.text[:2000]
    assert seen[0] == ("ocr", 0, 2) and seen[-1] == ("ocr", 2, 2)


def test_missing_ocr_says_what_to_install(tmp_path, monkeypatch):
    import scanmaker
    from untact_qa.errors import CorpusError
    from untact_qa.formats import extract

    text_pdf = scanmaker.text_pdf(["스캔 문서의 첫 줄입니다."], tmp_path / "one.pdf")
    scan = scanmaker.image_only(text_pdf, tmp_path / "scan.pdf", dpi=72)
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    with pytest.raises(CorpusError) as err:
        extract(scan, "scan.pdf")
    assert "tesseract-ocr-kor" in err.value.korean() and "글자 인식(OCR)" in err.value.korean()


def test_corpus_folder_reads_every_format(docs, tmp_path):
    from untact_qa.corpus import load_corpus

    folder = tmp_path / "c"
    folder.mkdir()
    for p in docs.values():
        shutil.copy(p, folder / p.name)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    result = load_corpus(folder)
    assert sorted(d.doc_id for d in result.documents) == sorted(docs)
    assert len(result.errors) == 1 and "broken.docx" in result.errors[0]
    xlsx = next(d for d in result.documents if d.doc_id == "온라인매출.xlsx")
    assert xlsx.repair == {"profile": "markdown"} and (9, "'분기별 매출' 시트 5행") in xlsx.locations


def test_chunks_carry_locations_into_citations(docs):
    from untact_qa.chunking import chunk_document
    from untact_qa.corpus import read_document
    from untact_qa.schema import Chunk

    doc = read_document(docs["원격근무거점.docx"], "원격근무거점.docx")
    chunks, _ = chunk_document(doc)
    row = next(c for c in chunks if "지역: 부산" in c.text)
    s = next(s for s in row.sentences if "부산" in s.text)
    assert row.location_at(s.line_start, s.line_end) == "표 1 3행"
    assert Chunk.from_dict(json.loads(json.dumps(row.to_dict()))) == row  # the index round trip
    old = {k: v for k, v in row.to_dict().items() if k != "locations"}
    assert Chunk.from_dict(old).locations == ()  # a record written before locations still loads


# -- the real model, the CLI and the index ----------------------------------------------------------
@pytest.fixture(scope="module")
def added(settings, built_index, docs, tmp_path_factory):
    """The bundled corpus and index copied, then every test document added in one
    ``untact-qa add FOLDER --json`` (the limited reader, the index's writes by document)."""
    from faultkit import cli, copy_index

    tmp = tmp_path_factory.mktemp("added")
    env = copy_index(settings, tmp)
    folder = tmp / "in"
    folder.mkdir()
    for p in docs.values():
        shutil.copy(p, folder / p.name)
    (folder / "나쁜파일.docx").write_bytes(b"PK\x03\x04 broken")
    r = cli("add", str(folder), "--json", env=env, timeout=900)
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    return env, rows, r


def test_bulk_add_reports_every_file(added, docs):
    env, rows, r = added
    assert r.returncode == 1, r.stderr[-2000:]  # one file failed, the others went in
    by_file = {row["file"]: row for row in rows}
    assert set(by_file) == set(docs) | {"나쁜파일.docx"}
    assert not by_file["나쁜파일.docx"]["ok"] and "손상" in by_file["나쁜파일.docx"]["error_ko"]
    for name in docs:
        assert by_file[name]["ok"] and by_file[name]["chunks"] > 0, by_file[name]
    assert by_file["원격근무거점.docx"]["doc"] == "uploads/원격근무거점.docx.md"
    assert by_file["헬스케어.pdf"]["doc"] == "uploads/헬스케어.pdf.txt"
    assert by_file["공공데이터-배포용.hwp"]["notes"] == ["배포용 문서"]


def _covers(where: str, want: str) -> bool:
    """Does a citation's location name *want*: itself, one end of "A–B", or inside a range
    of rows or pages ("슬라이드 2 표 1 2–3행" covers "슬라이드 2 표 1 3행")?"""
    import re

    if want == where or want in where.split("–"):
        return True
    m, w = re.fullmatch(r"(.*?)(\d+)–(\d+)(\D*)", where), re.fullmatch(r"(.*?)(\d+)(\D*)", want)
    return bool(m and w and m.group(1) == w.group(1) and m.group(4) == w.group(3)
                and int(m.group(2)) <= int(w.group(2)) <= int(m.group(3)))


def test_each_format_answers_text_and_table_questions_with_locations(added):
    """Per format: a question over its text and one over a table cell, answered from that
    file, the citation naming the place (row, slide, sheet row, page)."""
    from untact_qa import Engine, Settings

    env, _, _ = added
    s = replace(Settings.from_env(), corpus_dir=Path(env["UNTACT_QA_CORPUS"]), index_dir=Path(env["UNTACT_QA_INDEX"]),
                cache_dir=Path(env["UNTACT_QA_CACHE"]))
    engine = Engine.load(settings=s)
    misses = []
    for file, q1, a1, q2, a2, loc in docmakers.FACTS:
        for q, a, want in ((q1, a1, None), (q2, a2, loc)):
            ans = engine.ask(q)
            cite = ans.citations[0] if ans.citations else None
            where = ""
            if cite is not None:
                chunk = engine.index.fetch([cite.chunk_id]).chunks[0]
                where = chunk.location_at(cite.line_start, cite.line_end)
                assert cite.location == where  # what the page, the API and the CLI show
            ok = (cite is not None and cite.doc_id == f"uploads/{file}" + (".txt" if file.endswith(".pdf") else ".md")
                  and a.replace(" ", "") in ans.text.replace(" ", "") and where
                  and (want is None or _covers(where, want)))
            if not ok:
                misses.append((file, q, ans.text[:120], cite.doc_id if cite else None, where, want))
    # 18 questions: every format's text question and table question; two may quote a neighbouring
    # row first (the answer still holds the cell and the citation names both rows)
    assert len(misses) <= 2, misses


def test_original_kept_beside_text_and_removed_with_it(added, docs):
    from untact_qa.corpus import sources_dir
    from untact_qa.documents import original_file, source_info

    env, _, _ = added
    corpus = Path(env["UNTACT_QA_CORPUS"])
    for name, path in docs.items():
        doc_id = f"uploads/{name}" + (".txt" if name.endswith(".pdf") else ".md")
        orig = original_file(corpus, doc_id)
        assert orig is not None and orig.read_bytes() == path.read_bytes(), name
        assert source_info(corpus, doc_id)["locations"]
    from faultkit import cli

    r = cli("ask", "김해 센터의 자동화율은?", "--json", env=env)
    assert r.returncode == 0 and '"location":' in r.stdout
    from untact_qa import Engine, Settings
    from untact_qa.documents import Uploads

    s = replace(Settings.from_env(), corpus_dir=corpus, index_dir=Path(env["UNTACT_QA_INDEX"]),
                cache_dir=Path(env["UNTACT_QA_CACHE"]))
    up = Uploads(Engine.load(settings=s, warm=False))
    text = corpus / "uploads" / "공유킥보드.csv.md"
    assert up.original("uploads/공유킥보드.csv.md") is not None
    up.remove("uploads/공유킥보드.csv.md")
    assert not text.exists() and not sources_dir(text).exists()
    assert "uploads/공유킥보드.csv.md" not in up.engine.index.doc_counts()


def test_a_citation_over_two_rows_or_pages_names_the_range_once():
    from untact_qa.schema import Chunk

    ch = Chunk(chunk_id="d#1", doc_id="d.pptx.md", heading_path=(), text="x", start=0, end=1, orig_start=0, orig_end=1,
               line_start=1, line_end=9, locations=((1, "슬라이드 2 표 1 2행"), (2, "슬라이드 2 표 1 3행"), (3, "3쪽"), (5, "4쪽"), (7, "슬라이드 3")))
    assert ch.location_at(1, 2) == "슬라이드 2 표 1 2–3행"
    assert ch.location_at(3, 5) == "3–4쪽"
    assert ch.location_at(5, 7) == "4쪽–슬라이드 3"
    assert ch.location_at(2) == "슬라이드 2 표 1 3행"
    assert _covers("슬라이드 2 표 1 2–3행", "슬라이드 2 표 1 3행") and not _covers("슬라이드 2 표 1 2–3행", "슬라이드 2 표 1 4행")
    assert _covers("3쪽–슬라이드 3", "3쪽") and not _covers("3–4쪽", "5쪽")
