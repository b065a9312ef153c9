# Everything a developer does often. `make demo` and `make test` are the two set-up commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_ENV := DEBUG=1 ALONGSIDE_DEMO=1 ALONGSIDE_REQUIRE_2FA=0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo demo-data test lint format bench hooks clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtual environment. On Debian: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo-data: install
	$(DEMO_ENV) $(BIN)/alongside migrate --noinput -v0
	$(DEMO_ENV) $(BIN)/alongside demo_seed
	$(DEMO_ENV) $(BIN)/alongside load_care_sample_data
	$(DEMO_ENV) $(BIN)/alongside notify_consents_expiring
	$(DEMO_ENV) $(BIN)/alongside load_workforce_sample_data
	$(DEMO_ENV) $(BIN)/alongside load_groups_sample_data
	$(DEMO_ENV) $(BIN)/alongside load_outcomes_sample_data
	$(DEMO_ENV) $(BIN)/alongside load_billing_sample_data
	$(DEMO_ENV) $(BIN)/alongside load_reports_sample_data
	$(DEMO_ENV) $(BIN)/alongside load_sample_data
	$(DEMO_ENV) $(BIN)/alongside groups_sync_listings
	$(DEMO_ENV) $(BIN)/alongside load_synonyms
	$(DEMO_ENV) $(BIN)/alongside load_library
	$(DEMO_ENV) $(BIN)/alongside library_editor_grant --username editor
	$(DEMO_ENV) $(BIN)/alongside load_warmline_sample_data

demo: demo-data
	@echo "Alongside demo: http://$(HOST):$(PORT)/  (sample data; two-factor sign-in is off)"
	$(DEMO_ENV) $(BIN)/alongside runserver $(HOST):$(PORT)

test: install
	DEBUG=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy alongside
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@for script in bench/[!_]*.py; do echo "== $$script"; DEBUG=1 $(BIN)/python $$script || exit 1; done

# Once per clone: the commit-msg hook checks subjects as CONTRIBUTING.md asks.
hooks:
	git config core.hooksPath .githooks

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
