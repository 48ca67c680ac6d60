# Two entry points a fresh machine needs: `make run` and `make test`.
# Everything they need is installed here, into .venv, from the package registry.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test eval bench setup browser ocr clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first and pinned: an unpinned resolve would pull a multi-GB CUDA build
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(PY) app.py

test: $(STAMP) browser ocr
	$(PY) -m pytest
	# regression gate over every suite in eval/suites: fails when a metric drops below eval/floors.json
	# (--only-gated: the korquad suites are gated on their test halves, so only those are asked)
	$(VENV)/bin/untact-qa eval --suite all --mode all --out eval/out --check --only-gated

eval: $(STAMP)
	$(VENV)/bin/untact-qa eval --suite all --mode all --out eval/results

bench: $(STAMP)
	$(PY) bench/run.py

# Debian's chromium for the real-browser UI tests (playwright cannot download its own here),
# with Korean and emoji fonts so screenshots show text, not empty boxes.
BROWSER_PKGS := chromium fonts-noto-cjk fonts-noto-color-emoji
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PKGS) >/dev/null; \
	else echo "missing: sudo apt-get install $(BROWSER_PKGS) (browser tests are skipped without chromium)"; fi

# Debian's Tesseract and its Korean model: scanned (image-only) PDF pages are read by OCR.
# Without them such an upload is refused with this command in its reason.
OCR_PKGS := tesseract-ocr tesseract-ocr-kor
ocr:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx kor; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OCR_PKGS) >/dev/null; \
	else echo "missing: sudo apt-get install $(OCR_PKGS) (scanned PDFs are refused and the OCR tests fail without it)"; fi

clean:
	rm -rf $(VENV) index/v-* index/CURRENT .cache
