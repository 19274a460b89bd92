# make run   — set up .venv, get models (or the labelled demo model offline), translate inputs/
# make test  — set up .venv and run the test suite (make test-slow: the slow trials)
# make docs  — build the documentation site into site/ (mkdocs build --strict)
# make bench — set up .venv and run the benchmark (bench/run.py; prints a table)
#              (then bench/quality.py: what the quality estimate costs against translation itself)
# make bench-segmentation — sentence boundaries per language and speed (bench/segmentation.py),
#                          markup fidelity (bench/fidelity.py), detect and segment per article
#                          against SEGMENT_BASELINE (bench/detect_segment.py); rewrites the README table
# make bench-scale — 1,000 to 20,000 articles x 3 locales, tiny models (bench/scale.py; SCALE_ARGS=--quick),
#                    then two pinned processes against one on luigid (bench/two_workers.py)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
ARGOS   = argostranslate==1.11.0
# the code before the peer suites' rules, which bench/detect_segment.py times this tree against
SEGMENT_BASELINE ?= 0d4a5e1

.PHONY: install run test test-slow bench bench-segmentation bench-scale lint docs clean

$(BIN)/locpipe: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# argostranslate without its declared stanza/spacy/torch dependencies (docs/getting-started.md)
	$(BIN)/pip install --quiet --no-deps $(ARGOS)
	@touch $@

install: $(BIN)/locpipe

run: install
	$(BIN)/locpipe models install-default --demo-fallback
	$(BIN)/locpipe run

test: install
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/python -m pytest -q

# multi-process, luigid and race trials (CI runs them too)
test-slow: install
	$(BIN)/python -m pytest -q -m slow

bench: install bench-segmentation
	$(BIN)/python bench/run.py
	$(BIN)/python bench/quality.py

bench-segmentation: install
	$(BIN)/python bench/segmentation.py
	$(BIN)/python bench/fidelity.py
	$(BIN)/python bench/detect_segment.py --against $(SEGMENT_BASELINE)
	$(BIN)/python bench/readme_figures.py --write

bench-scale: install
	$(BIN)/python bench/scale.py $(SCALE_ARGS)
	$(BIN)/python bench/two_workers.py $(TWO_WORKERS_ARGS)

lint: install
	$(BIN)/ruff check pipeline tests bench

docs: install
	$(BIN)/mkdocs build --strict -d site

clean:
	rm -rf $(VENV) .state locales/.locpipe bench/.work
