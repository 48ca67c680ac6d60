"""Korean test documents in every format, each on its own (invented) subject with headings,
paragraphs, a list and tables, written with the formats' own libraries: python-docx,
python-pptx, openpyxl, the csv module, plain HTML, our HWP/HWPX writers (hwpwriter.py) and
fpdf2. ``make_all(folder)`` writes them all; ``FACTS`` lists, per file, a question over its
text and one over a table cell with the answer and the location a citation must name.
The eval suite ``eval/suites/tables`` holds the same files (``python tests/formats/docmakers.py
eval/suites/tables/corpus`` rewrites them).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import hwpwriter  # noqa: E402

# -- contents ----------------------------------------------------------------------------------
HWP_BLOCKS = [
    ("heading", 1, "원격수업 운영 현황 보고"),
    ("text", "교육청은 2024년 2학기 원격수업 운영 결과를 학교급별로 집계하였다. 쌍방향 수업 비중이 처음으로 절반을 넘었다."),
    ("heading", 2, "학교급별 원격수업 비율"),
    ("table", [["학교급", "원격수업 비율", "쌍방향 수업 비중"],
               ["초등학교", "18%", "41%"],
               ["중학교", "23%", "52%"],
               ["고등학교", "27%", "58%"],
               ["특수학교", "9%", "33%"]]),
    ("heading", 2, "향후 과제"),
    ("item", "교사 연수 시간을 학기당 12시간으로 늘린다."),
    ("item", "저소득층 학생에게 태블릿 3만 대를 보급한다."),
    ("textbox", "글상자: 원격수업 만족도는 학생 76점, 학부모 71점으로 조사되었다."),
    ("footnote", "조사는 전국 1,204개 학교를 대상으로 하였다.", "표본은 학교급별 비례 배분으로 추출하였다."),
]
HWP_DIST_BLOCKS = [
    ("heading", 1, "공공데이터 개방 계획(배포용)"),
    ("text", "행정안전부는 2025년까지 공공데이터 4,500종을 추가로 개방할 계획이라고 밝혔다."),
    ("table", [["분야", "개방 목표(종)"], ["교통", "820"], ["보건", "640"], ["환경", "510"]]),
]
HWPX_BLOCKS = [
    ("heading", 1, "비대면 진료 시범사업 결과"),
    ("text", "보건복지부는 비대면 진료 시범사업에 참여한 환자가 모두 37만 명이라고 발표하였다."),
    ("heading", 2, "기관 유형별 참여 현황"),
    ("table", [["기관 유형", "참여 기관 수", "진료 건수"],
               ["의원", "9,120곳", "61만 건"],
               ["병원", "410곳", "3만 2천 건"],
               ["약국", "12,800곳", "44만 건"]]),
    ("heading", 2, "아세안 국가별 결제 지표"),
    ("table", [["국가", "현금 사용률", "전자지갑 이용률"],
               ["베트남", "90%", "29%"],
               ["인도네시아", "81%", "35%"],
               ["태국", "57%", "46%"]]),
    ("footnote", "시범사업 기간은 2023년 6월부터 12월까지였다.", "재진 환자 위주로 운영되었다."),
]
DOCX = {
    "title": "지역별 원격근무 거점 지원 사업",
    "text": "고용노동부는 지역별 원격근무 거점 센터를 지원하여 출퇴근 시간을 평균 38분 줄였다고 밝혔다.",
    "items": ["거점 센터는 평일 오전 7시부터 밤 10시까지 운영한다.", "입주 기업은 최대 2년까지 무료로 이용한다."],
    "table": [["지역", "거점 센터 수", "지원 예산"], ["서울", "14곳", "35억 원"], ["부산", "6곳", "12억 원"],
              ["대전", "4곳", "8억 원"], ["광주", "3곳", "6억 원"]],
}
PPTX_SLIDES = [
    ("스마트 물류 도입 현황", ["물류 기업의 자동화 투자가 2년 새 두 배로 늘었다.", "로봇 피킹 도입 기업은 전체의 21%이다."], None, "발표 메모: 투자액은 기업 공시 기준이다."),
    ("창고별 자동화율", [], [["창고", "자동화율", "하루 처리량"], ["이천 센터", "78%", "42만 상자"], ["김해 센터", "64%", "25만 상자"],
                          ["평택 센터", "71%", "31만 상자"]], "노트: 평택 센터는 2023년에 개장했다."),
    ("향후 계획", ["2026년까지 무인 운반차 1,500대를 도입한다."], None, ""),
]
XLSX_SHEETS = {
    "분기별 매출": [["2024년 온라인 유통 매출 현황"], ["분기", "온라인 매출", "오프라인 매출", "온라인 비중"],
                ["1분기", 1520, 2310, 0.397], ["2분기", 1684, 2250, 0.428], ["3분기", 1790, 2204, 0.448],
                ["4분기", 2015, 2380, 0.458]],
    "배송": [["지역", "평균 배송 시간(시간)"], ["수도권", 11], ["충청권", 17], ["제주", 41]],
}
# the seed report's figures as the tables its HWP original holds (the PDF extraction in corpus/
# lost the table structure; the numbers are the report's)
REPORT_SHEETS = {
    "근무형태 변화": [["코로나19 이후 근무형태 조사(인맥관리 업체 이용자)"], ["구분", "응답 비율"],
                 ["근무형태가 변했다", "61.3%"], ["유연 단축 근무제 시행", "22.2%"], ["전원 재택근무 시행", "19%"],
                 ["일부 인원만 재택근무", "17.2%"]],
    "해외 지표": [["국가", "지표", "값"], ["대만", "음식배달 앱 사용률(2020년 2월)", "35.6%"],
              ["미국", "아마존 클라우드 시장 점유율", "31%"], ["한국", "리모트미팅 사용시간 증가율(1월 2주차 대비)", "3339%"],
              ["일본", "리모트뷰 에이전트 신규 설치 증가율", "4977.1%"], ["베트남", "비현금 거래 금액 증가율(전년 대비)", "124%"]],
}
CSV_ROWS = [["도시", "공유 킥보드 대수", "하루 이용 건수"], ["서울", "54,000", "31만"], ["인천", "9,800", "4만 2천"],
            ["대구", "7,200", "3만 1천"], ["세종", "2,100", "9천"]]
HTML_PAGE = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>무인 매장 확산</title>
<style>body{font-family:sans-serif}</style><script>var tracking = "광고 추적 코드";</script></head>
<body><header><nav><a href="/">홈</a> <a href="/news">뉴스</a> <a href="/login">로그인</a></nav></header>
<div class="sidebar"><ul><li>많이 본 기사: 연예인 근황</li><li>오늘의 운세</li></ul></div>
<main><article><h1>무인 매장 확산</h1>
<p>편의점 업계의 무인 매장이 1년 사이 2,300곳에서 3,900곳으로 늘었다. 야간 인건비 부담이 주된 이유로 꼽힌다.</p>
<h2>업종별 무인 매장 수</h2>
<table><thead><tr><th>업종</th><th>무인 매장 수</th><th>전년 대비 증가율</th></tr></thead>
<tbody><tr><td>편의점</td><td>3,900곳</td><td>70%</td></tr><tr><td>아이스크림 할인점</td><td>2,700곳</td><td>45%</td></tr>
<tr><td>밀키트 판매점</td><td>1,100곳</td><td>120%</td></tr></tbody></table>
<ul><li>무인 매장의 도난 신고는 월평균 380건이었다.</li></ul></article></main>
<footer><p>Copyright 뉴스회사. 무단 전재 금지</p></footer></body></html>"""
PDF_PAGES = [
    ["디지털 헬스케어 동향", "", "웨어러블 기기 보급률은 성인 인구의 34%에 이르렀다.", "원격 모니터링 서비스 가입자는 120만 명이다."],
    ["연령대별 웨어러블 보급률", "", "연령대 | 보급률", "20대 | 52%", "40대 | 37%", "60대 | 19%",
     "", "고령층의 보급률이 가장 빠르게 늘고 있다."],
]

# (file, question over its text, answer, question over a table cell, answer, location of the cell)
FACTS = [
    ("원격수업.hwp", "원격수업 만족도 점수는 학생이 몇 점이었나?", "76점", "고등학교의 원격수업 비율은?", "27%", "문단 4 표 4행"),
    ("공공데이터-배포용.hwp", "행정안전부가 추가로 개방할 공공데이터는 몇 종인가?", "4,500종", "보건 분야 개방 목표는 몇 종인가?", "640", "문단 3 표 3행"),
    ("비대면진료.hwpx", "비대면 진료 시범사업에 참여한 환자는 몇 명인가?", "37만 명", "베트남의 현금 사용률은?", "90%", "문단 6 표 2행"),
    ("원격근무거점.docx", "원격근무 거점 센터가 줄인 출퇴근 시간은 평균 몇 분인가?", "38분", "부산의 거점 센터 지원 예산은?", "12억 원", "표 1 3행"),
    ("스마트물류.pptx", "로봇 피킹을 도입한 물류 기업의 비율은?", "21%", "김해 센터의 자동화율은?", "64%", "슬라이드 2 표 1 3행"),
    ("온라인매출.xlsx", "제주의 평균 배송 시간은?", "41", "3분기 온라인 매출은?", "1790", "'분기별 매출' 시트 5행"),
    ("공유킥보드.csv", "세종의 공유 킥보드 하루 이용 건수는?", "9천", "인천의 공유 킥보드 대수는?", "9,800", "3행"),
    ("무인매장.html", "편의점 무인 매장은 1년 사이 몇 곳에서 몇 곳으로 늘었나?", "3,900곳", "밀키트 판매점 무인 매장의 전년 대비 증가율은?", "120%", None),
    # a PDF's table is drawn text: its rows have no headers to keep, so the second question is
    # over the second page's text (the location is the point)
    ("헬스케어.pdf", "원격 모니터링 서비스 가입자는 몇 명인가?", "120만 명", "보급률이 가장 빠르게 늘고 있는 연령층은?", "고령층", "2쪽"),
]


# -- writers -----------------------------------------------------------------------------------
def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(DOCX["title"], level=1)
    d.add_paragraph(DOCX["text"])
    d.add_heading("운영 방식", level=2)
    for item in DOCX["items"]:
        d.add_paragraph(item, style="List Bullet")
    d.add_heading("지역별 지원 현황", level=2)
    rows = DOCX["table"]
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell
    d.add_paragraph("지원 예산은 2024년 본예산 기준이다.")
    d.save(str(path))
    return path


def make_pptx(path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    for title, bullets, table, notes in PPTX_SLIDES:
        slide = prs.slides.add_slide(prs.slide_layouts[5 if table else 1])
        slide.shapes.title.text = title
        if bullets:
            body = slide.placeholders[1].text_frame
            body.text = bullets[0]
            for b in bullets[1:]:
                body.add_paragraph().text = b
        if table:
            shape = slide.shapes.add_table(len(table), len(table[0]), Inches(1), Inches(2), Inches(8), Inches(3))
            for i, row in enumerate(table):
                for j, cell in enumerate(row):
                    shape.table.cell(i, j).text = cell
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    prs.save(str(path))
    return path


def _workbook(path: Path, sheets: dict, percent_column: bool) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if percent_column:  # a fraction shown as a percentage: the reader must give "12.5%"
            for r in ws.iter_rows(min_row=3):
                if len(r) >= 4 and isinstance(r[3].value, float):
                    r[3].number_format = "0.0%"
    wb.save(str(path))
    return path


def make_xlsx(path: Path) -> Path:
    return _workbook(path, XLSX_SHEETS, percent_column=True)


def make_report_xlsx(path: Path) -> Path:
    return _workbook(path, REPORT_SHEETS, percent_column=False)


def make_csv(path: Path) -> Path:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(CSV_ROWS)
    return path


def make_pdf(path: Path) -> Path:
    from fpdf import FPDF

    from scanmaker import font_path

    pdf = FPDF(format="A4")
    pdf.add_font("nanum", fname=str(font_path()))
    pdf.set_font("nanum", size=12)
    for lines in PDF_PAGES:
        pdf.add_page()
        y = 20
        for line in lines:
            pdf.set_xy(20, y)
            pdf.cell(170, 8, line)
            y += 9
    pdf.output(str(path))
    return path


def make_all(folder: Path) -> dict[str, Path]:
    """Write every test document into *folder*; returns file name → path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {
        "원격수업.hwp": hwpwriter.hwp(HWP_BLOCKS, folder / "원격수업.hwp"),
        "공공데이터-배포용.hwp": hwpwriter.hwp(HWP_DIST_BLOCKS, folder / "공공데이터-배포용.hwp", distributed=True),
        "비대면진료.hwpx": hwpwriter.hwpx(HWPX_BLOCKS, folder / "비대면진료.hwpx"),
        "원격근무거점.docx": make_docx(folder / "원격근무거점.docx"),
        "스마트물류.pptx": make_pptx(folder / "스마트물류.pptx"),
        "온라인매출.xlsx": make_xlsx(folder / "온라인매출.xlsx"),
        "공유킥보드.csv": make_csv(folder / "공유킥보드.csv"),
        "보고서주요수치.xlsx": make_report_xlsx(folder / "보고서주요수치.xlsx"),
        "헬스케어.pdf": make_pdf(folder / "헬스케어.pdf"),
    }
    (folder / "무인매장.html").write_text(HTML_PAGE, encoding="utf-8")
    out["무인매장.html"] = folder / "무인매장.html"
    return out


if __name__ == "__main__":
    for name, p in make_all(Path(sys.argv[1])).items():
        print(p)
