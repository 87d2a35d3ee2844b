# newstag: two commands from a fresh clone.
#   make demo   set up .venv, build what is not committed, tag the bundled example article
#   make test   the same setup plus test dependencies, then the test suite (with the quality gates)
# Also: make eval (accuracy on ../shared dev sets), make bench (speed), make artifacts (rebuild all).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test eval bench bench-topics bench-archive artifacts gazetteer clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,postgres,spark]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/newstag tag examples/article.txt

# Spark local[1]/local[2] beside newstag tag --jobs 1/2 on the bench mix (bench/bench_spark.py).
.PHONY: bench-spark
bench-spark: $(VENV)/.installed-test
	$(BIN)/python bench/bench_spark.py --shared $(SHARED)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

eval: $(VENV)/.installed-test
	$(BIN)/newstag eval geo --shared $(SHARED)
	$(BIN)/newstag eval topics --shared $(SHARED) --ceiling --adapt

bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench_pipeline.py --shared $(SHARED)

bench-topics: $(VENV)/.installed-test
	$(BIN)/python bench/bench_topics.py --shared $(SHARED)

# The archive: storing and querying 100,000 tagged records on SQLite and PostgreSQL (a server the
# benchmark starts itself). ARCHIVE_COUNTS="100000 1000000" for the million (about 7 GB per backend).
ARCHIVE_COUNTS ?= 100000
bench-archive: $(VENV)/.installed-test
	$(BIN)/python bench/bench_archive.py --shared $(SHARED) --counts $(ARCHIVE_COUNTS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# The service under load (newstag serve --workers 2, 200 loopback clients) and the CLI beside it.
.PHONY: bench-service screenshot
bench-service: $(VENV)/.installed-test
	$(BIN)/python bench/bench_service.py --shared $(SHARED)

# docs/service.png, the README's picture of the page: taken by the browser test at 1280 px.
screenshot: $(VENV)/.installed-test
	NEWSTAG_SCREENSHOT_DIR=docs $(BIN)/python -m pytest -q tests/service/test_browser.py -k example
