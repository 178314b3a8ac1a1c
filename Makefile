# Two commands matter: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test lint translations install install-dev migrate-check clean guide-screenshots bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Serve the app with demo data on SQLite at http://127.0.0.1:5000
run: install
	$(BIN)/pybabel compile -d app/translations >/dev/null
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## Lint and run the whole test suite
test: install-dev
	$(BIN)/pybabel compile -d app/translations >/dev/null
	$(BIN)/ruff check app tests bench migrations wsgi.py
	$(BIN)/bandit -q -r app -ll
	$(BIN)/pytest $(PYTEST_ARGS)

## Extract strings and update/compile the de and en catalogues
translations: install
	$(BIN)/flask translations

## Benchmark S and L on PostgreSQL (gunicorn, HTTP); writes bench/results/latest.{json,md}
bench: install-dev
	$(BIN)/pybabel compile -d app/translations >/dev/null
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## Run the full-journey browser test and copy its screenshots into the user guide (docs/guide/img/)
guide-screenshots: install-dev
	$(BIN)/pybabel compile -d app/translations >/dev/null
	rm -f tests/e2e/artifacts/*.jpg
	REQUIRE_BROWSER=1 $(BIN)/pytest tests/e2e/test_full_journey.py tests/e2e/test_cockpit_browser.py -q -p no:cacheprovider
	mkdir -p docs/guide/img
	cp tests/e2e/artifacts/*.jpg docs/guide/img/

clean:
	rm -rf $(VENV) .pytest_cache
