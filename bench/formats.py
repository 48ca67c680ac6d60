"""Document formats: extraction speed of each reader on a realistic file, and OCR of the seed
report rendered to an image-only PDF (time per page; answer accuracy of the report's eval
questions over the OCR text against the text version).

    .venv/bin/python bench/formats.py speed          # a few seconds per format
    .venv/bin/python bench/formats.py ocr            # ~2 min: OCR of 20 pages, two indexes, 2 x 170 questions
    .venv/bin/python bench/formats.py ocr --keep DIR # ... and keep both texts in DIR

Results go to bench/formats.json; bench/results.md quotes them.
"""

from __future__ import annotations

import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "formats"))
OUT = ROOT / "bench" / "formats.json"


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def realistic(folder: Path) -> dict[str, Path]:
    """Files of the size people upload: ~40 pages of HWP/HWPX/DOCX text with 10 tables of 30
    rows, a 30-slide deck, a 5,000-row workbook, a 5,000-row CSV, a long web page, a 20-page PDF."""
    import csv

    import docmakers
    import hwpwriter
    import openpyxl
    import scanmaker

    folder.mkdir(parents=True, exist_ok=True)
    para = "비대면 경제의 확산으로 재택근무와 원격수업, 온라인 쇼핑이 일상이 되었으며 관련 산업의 성장세가 이어지고 있다. " * 3
    table = [["지역", "기업 수", "매출", "비중"]] + [[f"지역{i}", f"{i * 7}곳", f"{i * 13}억 원", f"{i % 100}%"] for i in range(30)]
    blocks = []
    for k in range(10):
        blocks += [("heading", 1, f"{k + 1}. 비대면 산업 현황 {k + 1}")] + [("text", para)] * 25 + [("table", table)]
    out = {"hwp": hwpwriter.hwp(blocks, folder / "big.hwp"), "hwpx": hwpwriter.hwpx(blocks, folder / "big.hwpx")}
    import docx

    d = docx.Document()
    for kind, *rest in blocks:
        if kind == "heading":
            d.add_heading(rest[1], level=1)
        elif kind == "text":
            d.add_paragraph(rest[0])
        else:
            t = d.add_table(rows=len(rest[0]), cols=4)
            for i, row in enumerate(rest[0]):
                for j, c in enumerate(row):
                    t.cell(i, j).text = c
    d.save(str(folder / "big.docx"))
    out["docx"] = folder / "big.docx"
    from pptx import Presentation

    prs = Presentation()
    for k in range(30):
        s = prs.slides.add_slide(prs.slide_layouts[1])
        s.shapes.title.text = f"슬라이드 제목 {k}"
        s.placeholders[1].text_frame.text = para[:120]
        s.notes_slide.notes_text_frame.text = para[:200]
    prs.save(str(folder / "big.pptx"))
    out["pptx"] = folder / "big.pptx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["날짜", "지역", "품목", "매출", "비중"])
    for i in range(5000):
        ws.append([f"2024-{i % 12 + 1:02d}-01", f"지역{i % 17}", f"품목{i % 101}", i * 1000, (i % 100) / 100])
    wb.save(str(folder / "big.xlsx"))
    out["xlsx"] = folder / "big.xlsx"
    with open(folder / "big.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["날짜", "지역", "품목", "매출"])
        for i in range(5000):
            w.writerow([f"2024-{i % 12 + 1:02d}-01", f"지역{i % 17}", f"품목{i % 101}", i * 1000])
    out["csv"] = folder / "big.csv"
    html = docmakers.HTML_PAGE.replace("<ul><li>무인", "".join(f"<p>{para}</p>" for _ in range(200)) + "<ul><li>무인")
    (folder / "big.html").write_text(html, encoding="utf-8")
    out["html"] = folder / "big.html"
    lines = (ROOT / "corpus" / "untact-economy-report.txt").read_text(encoding="utf-8").split("\n")
    out["pdf"] = scanmaker.text_pdf(lines, folder / "big.pdf")
    return out


def speed() -> dict:
    """Median in-process extraction time of each format's realistic file (3 runs), and the
    whole upload path (the limited child process) once."""
    import tempfile

    from untact_qa.extract import extract_document
    from untact_qa.formats import extract

    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, path in realistic(Path(tmp)).items():
            times = []
            for _ in range(3):
                t = time.perf_counter()
                got = extract(path, path.name)
                times.append(time.perf_counter() - t)
            t = time.perf_counter()
            extract_document(path, path.name)
            child = time.perf_counter() - t
            res[fmt] = {"bytes": path.stat().st_size, "chars": len(got.text), "seconds": round(statistics.median(times), 3),
                        "upload_seconds": round(child, 3), "locations": len(got.locations)}
            print(fmt, res[fmt], flush=True)
    return res


def _eval(corpus: Path, index: Path, out: Path) -> dict:
    cmd = [str(ROOT / ".venv" / "bin" / "untact-qa"), "eval", "--questions", str(ROOT / "eval" / "questions.jsonl"),
           "--corpus", str(corpus), "--index", str(index), "--mode", "hybrid", "--out", str(out)]
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
    metrics = json.loads((out / "metrics.json").read_text())
    return metrics


def _verbatim(text: str) -> dict:
    """How many of the report's answerable questions (not summaries) find an accepted answer
    and an evidence string in *text* verbatim, compared as the eval compares (no whitespace)."""
    from untact_qa.scoring import UNANSWERED_TYPES, holds_answer, holds_evidence

    questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines() if line.strip()]
    answerable = [q for q in questions if q["type"] not in UNANSWERED_TYPES and q["type"] != "summary"]
    return {"answerable": len(answerable), "answer_in_text": sum(holds_answer(q, text) for q in answerable),
            "evidence_in_text": sum(holds_evidence(q, text) for q in answerable)}


def _similarity(a: str, b: str) -> float:
    """Character similarity of two page texts, whitespace ignored (difflib's ratio)."""
    import difflib
    import re

    return difflib.SequenceMatcher(None, re.sub(r"\s+", "", a), re.sub(r"\s+", "", b), autojunk=False).ratio()


def ocr(dpi: int = 200, keep: Path | None = None) -> dict:
    """The report as an image-only PDF, read back by OCR; eval over both texts. *keep*: a
    folder for the two extracted texts (to look at what OCR lost)."""
    import tempfile

    import pypdfium2 as pdfium
    import scanmaker

    from untact_qa.extract import extract_document

    tmp = Path(tempfile.mkdtemp(prefix="bench-ocr-"))
    lines = (ROOT / "corpus" / "untact-economy-report.txt").read_text(encoding="utf-8").split("\n")
    text_pdf = scanmaker.text_pdf(lines, tmp / "report.pdf")
    scan = scanmaker.image_only(text_pdf, tmp / "report-scan.pdf", dpi=dpi)
    pages = len(pdfium.PdfDocument(str(scan)))
    marks = []  # the time of each page's progress report: its differences are the time per page
    t = time.perf_counter()
    got = extract_document(scan, "untact-economy-report.pdf",
                           progress=lambda stage, done, total: marks.append(time.perf_counter()))
    seconds = time.perf_counter() - t
    per_page = sorted(b - a for a, b in zip(marks, marks[1:]))
    # the same corpus twice: the text version (the report as extracted from the text PDF, so
    # both go through the same PDF repair) and the OCR version
    texts = {"text": extract_document(text_pdf, "r.pdf").text, "ocr": got.text}
    versions = {}
    for kind, text in texts.items():
        corpus = tmp / f"corpus-{kind}"
        corpus.mkdir()
        settings = json.loads((ROOT / "corpus" / "untact-qa.json").read_text())
        settings["repair"] = {"*": {"captions": True}}
        (corpus / "untact-qa.json").write_text(json.dumps(settings, ensure_ascii=False))
        (corpus / "untact-economy-report.pdf.txt").write_text(text, encoding="utf-8")
        versions[kind] = _eval(corpus, tmp / f"index-{kind}", tmp / f"out-{kind}")
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"report-{kind}.txt").write_text(text, encoding="utf-8")

    def acc(m):
        return m["modes"]["hybrid"]["answer_accuracy"]
    sims = [_similarity(a, b) for a, b in zip(texts["ocr"].split("\n\f"), texts["text"].split("\n\f"))]
    res = {"pages": pages, "dpi": dpi, "scan_bytes": scan.stat().st_size, "ocr_seconds": round(seconds, 1),
           "seconds_per_page": round(seconds / pages, 2),
           "page_seconds": {"min": round(per_page[0], 2), "median": round(statistics.median(per_page), 2),
                            "max": round(per_page[-1], 2)} if per_page else None,
           "page_similarity": {"min": round(min(sims), 3), "mean": round(statistics.mean(sims), 3),
                               "max": round(max(sims), 3)},
           "verbatim_text": _verbatim(texts["text"]), "verbatim_ocr": _verbatim(texts["ocr"]),
           "answer_accuracy_text": acc(versions["text"]), "answer_accuracy_ocr": acc(versions["ocr"])}
    res["ratio"] = round(res["answer_accuracy_ocr"] / max(1e-9, res["answer_accuracy_text"]), 3)
    print(res, flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return res


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "speed"
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    os = __import__("os")
    data["machine"] = {"cpu": _cpu(), "cores": os.cpu_count(), "date": date.today().isoformat(),
                       "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                       "tesseract": subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
                       if shutil.which("tesseract") else "not installed"}
    if what == "speed":
        data[what] = speed()
    else:
        keep = argv[argv.index("--keep") + 1] if "--keep" in argv else None
        data[what] = ocr(keep=Path(keep) if keep else None)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
