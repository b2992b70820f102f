# Two commands do everything on a fresh machine:
#   make run    create .venv, install, build the index on first use, start the chat app
#   make test   create .venv, install (plus Chromium for the browser tests), run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False

.PHONY: run test install ingest eval bench bench-scale browser clean

run: $(STAMP)
	$(BIN)/python app.py

test: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP)

# torch first, pinned: the CPU wheel in the local find-links; an unpinned torch pulls CUDA.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (never `playwright install`).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: chromium not found (sudo apt-get install chromium); browser tests will be skipped"; fi; }

ingest: $(STAMP)
	$(BIN)/strength-assistant ingest

eval: $(STAMP)
	$(BIN)/strength-assistant eval --split all --report reports/eval --history evals/history.jsonl

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

# Cost at 1x, 10x and 50x the corpus (synthetic copies in a temp folder; ~10 min): benchmarks/scale.*
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf .data reports
