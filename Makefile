# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# PostgreSQL the test suite also runs against when it answers (override to point elsewhere).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom

.PHONY: install run serve test test-sqlite test-postgres test-browser bench bench-quick faults lint
.PHONY: format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The W3C Nu HTML validator, for the tests that validate rendered pages (needs java to run).
VNU_VERSION := 26.9.27
VNU_JAR := var/tools/vnu-$(VNU_VERSION).jar
$(VNU_JAR):
	@mkdir -p var/tools
	@cd var/tools && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null 2>&1 \
		&& tar -xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar \
		&& mv package/build/dist/vnu.jar $(notdir $(VNU_JAR)); rm -rf package vnu-jar-*.tgz
	@test -f $(VNU_JAR) || echo "== vnu.jar could not be fetched: HTML validation tests will skip"

# axe-core, the accessibility checker the browser tests inject into pages. The browser itself is
# Debian's chromium (.ci/run installs it); Playwright never downloads one.
AXE_VERSION := 4.14.1
AXE_JS := var/tools/axe-core-$(AXE_VERSION).min.js
$(AXE_JS):
	@mkdir -p var/tools
	@cd var/tools && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null 2>&1 \
		&& tar -xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js \
		&& mv package/axe.min.js $(notdir $(AXE_JS)); rm -rf package axe-core-*.tgz
	@test -f $(AXE_JS) || echo "== axe-core could not be fetched: accessibility tests will skip"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

# The address it serves on is the site's address (SITE_URL) for this run, and is kept in
# var/site_url so that commands run beside it (import_story) print links that open.
run: install
	@var="$${NEWSROOM_VAR_DIR:-var}"; mkdir -p "$$var" && echo "http://127.0.0.1:$(PORT)" > "$$var/site_url"
	DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py migrate --noinput --verbosity 0
	DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py load_demo
	DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py demo_editor
	DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py demo_reporter
	DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production server: gunicorn, DEBUG off, static files collected and served by WhiteNoise.
# PORT and WEB_CONCURRENCY (workers; default 2 per CPU core + 1) choose where and how many.
# Without SECRET_KEY in the environment this local run uses the key kept in var/secret_key and
# says so; a real deployment sets SECRET_KEY (the same on every server) and its other variables.
serve: install
	@var="$${NEWSROOM_VAR_DIR:-var}"; mkdir -p "$$var"; \
	if [ -z "$$SECRET_KEY" ]; then \
		[ -s "$$var/secret_key" ] || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > "$$var/secret_key"; \
		chmod 600 "$$var/secret_key"; \
		echo "== SECRET_KEY is not set: this local run uses the key in $$var/secret_key (set SECRET_KEY in production)"; \
		export SECRET_KEY="$$(cat "$$var/secret_key")"; \
	fi; \
	export DEBUG=0 SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" SERVE_MEDIA="$${SERVE_MEDIA:-1}"; \
	$(BIN)/python manage.py migrate --noinput --verbosity 0 \
	&& $(BIN)/python manage.py collectstatic --noinput --verbosity 0 \
	&& exec $(BIN)/gunicorn newsroom.wsgi:application --bind "$${BIND:-127.0.0.1}:$(PORT)" \
		--workers "$${WEB_CONCURRENCY:-$$($(BIN)/python -c 'import os; print(2 * os.cpu_count() + 1)')}" \
		--preload --access-logfile - --control-socket "$$var/gunicorn.ctl"

test: install test-sqlite test-postgres

test-sqlite: install $(VNU_JAR) $(AXE_JS)
	env -u DATABASE_URL VNU_JAR=$(VNU_JAR) AXE_JS=$(AXE_JS) $(BIN)/pytest

# The browser tests alone (also part of test-sqlite): headless Chromium against the live server.
test-browser: install $(AXE_JS)
	env -u DATABASE_URL AXE_JS=$(AXE_JS) $(BIN)/pytest tests/browser

# Runs when PostgreSQL answers (DATABASE_URL or TEST_DATABASE_URL); says so and skips when it does not.
# The browser tests run in the SQLite pass only (see tests/browser/conftest.py).
test-postgres: install $(VNU_JAR)
	@url="$${DATABASE_URL:-$(TEST_DATABASE_URL)}"; \
	case "$$url" in postgres*) ;; *) url="$(TEST_DATABASE_URL)";; esac; \
	if $(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1].rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		echo "== PostgreSQL: $$url"; DATABASE_URL="$$url" VNU_JAR=$(VNU_JAR) $(BIN)/pytest -m "not browser"; \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then echo "== PostgreSQL is not reachable at $$url"; exit 1; \
	else echo "== PostgreSQL is not reachable at $$url: skipped (.ci/run starts it)"; fi

# Load benchmark: Newsroom served as in production (make serve), a Wagtail news site and nginx,
# driven by wrk over loopback at 1,000 and 100,000 stories; a table and bench/results/*.json.
# Generated databases (newsroom_bench_*, wagtail_bench_* on BENCH_POSTGRES) are reused when
# their seed, size and generator are the same. BENCH_ARGS passes options (--help lists them).
WAGTAIL_VENV := bench/.venv-wagtail
BENCH_POSTGRES ?= $(TEST_DATABASE_URL)

$(WAGTAIL_VENV)/.installed: bench/wagtail_site/requirements.txt
	$(PYTHON) -m venv $(WAGTAIL_VENV)
	$(WAGTAIL_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(WAGTAIL_VENV)/bin/python -m pip install --quiet -r bench/wagtail_site/requirements.txt
	touch $@

bench: install $(WAGTAIL_VENV)/.installed
	@command -v wrk >/dev/null || { echo "== wrk is missing: apt-get install wrk"; exit 1; }
	@command -v nginx >/dev/null || { echo "== nginx is missing: apt-get install nginx-light"; exit 1; }
	BENCH_POSTGRES="$(BENCH_POSTGRES)" $(BIN)/python bench/run.py $(BENCH_ARGS)

# Requests per second and latency of the reader pages in-process (no server, no network), on
# demo content in a throwaway database, then search on a generated corpus.
bench-quick: install
	env -u DATABASE_URL SECRET_KEY=bench-only-$$$$ $(BIN)/python tests/bench.py
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1].rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" "$(TEST_DATABASE_URL)" 2>/dev/null; then \
		DATABASE_URL="$(TEST_DATABASE_URL)" SECRET_KEY=bench-only-$$$$ $(BIN)/python tests/bench.py; fi

# The production server under load while PostgreSQL restarts, Redis stops and a worker dies
# (docs/faults.md). Restarts the machine's PostgreSQL and Redis: not part of make test.
faults: install
	$(BIN)/python faults/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext; the compiled catalogues are committed so that nobody else does.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale ru --ignore '$(VENV)/*' --ignore 'var/*' --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore '$(VENV)/*'

clean:
	rm -rf $(VENV) var $(WAGTAIL_VENV)
