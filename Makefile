# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint format check-migrations clean bench messages

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

## Start the portal with a working demo on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite by default; DATABASE_URL / CELERY_BROKER_URL to use services)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --configfile pyproject.toml --recursive .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=b40.settings.test
	$(BIN)/python manage.py lintmigrations --quiet ok ignore --settings=b40.settings.test
	$(BIN)/python bin/check-translations
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Re-pin the lock file after changing pyproject.toml
lock:
	rm -rf /tmp/b40-lock && $(PYTHON) -m venv /tmp/b40-lock
	/tmp/b40-lock/bin/pip install --quiet --upgrade pip && /tmp/b40-lock/bin/pip install --quiet '.[dev]'
	/tmp/b40-lock/bin/pip freeze --exclude-editable | grep -v '^b40-portal' > requirements.lock

## After adding or changing strings: update locale/bg and locale/tr (.po) and compile them (.mo)
messages: $(STAMP)
	$(BIN)/python bin/check-translations --update

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

## The benchmark (bench/): 1,000 cities on PostgreSQL, gunicorn, wrk; DB=sqlite for the embedded one
bench: $(STAMP)
	$(BIN)/python -m bench.run --db $(or $(DB),postgres)
