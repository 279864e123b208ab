# Front Door. `make run` serves everything; `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APP_VENV  := .venv/app
RASA_VENV := .venv/rasa
APP_PY    := $(APP_VENV)/bin/python
RASA      := $(RASA_VENV)/bin/rasa
MODEL     := models/frontdoor.tar.gz
TRAINING  := bot/config.yml bot/domain.yml $(shell find bot/data -name '*.yml' 2>/dev/null) $(wildcard bot/components/*.py)

# No usage data leaves the machine, and the engine's logs stay readable.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

.PHONY: help install assets run test train bench lock content-import content-export db translations translations-update clean

help:
	@echo "make run    install what is missing, train if needed, start every service (Ctrl-C stops)"
	@echo "make test   install what is missing and run the whole test suite"
	@echo "make train  retrain the Rasa model if its training data changed"
	@echo "make bench  accuracy, crisis detection and latency benchmarks"
	@echo "make lock   re-pin requirements/*.txt from requirements/*.in"
	@echo "make translations-update   extract marked strings and merge them into locales/*/LC_MESSAGES"
	@echo "make content-import / content-export   load content/ into the store, or write it back"

install: $(APP_VENV)/.installed $(RASA_VENV)/.installed assets

# Front-end packages from the npm registry, pinned by package-lock.json. GOV.UK Frontend's built
# CSS, JavaScript, fonts and images are copied to admin/static/vendor (not kept in git).
assets: node_modules/.installed admin/static/vendor/govuk-frontend/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

admin/static/vendor/govuk-frontend/.installed: node_modules/.installed
	rm -rf admin/static/vendor/govuk-frontend && mkdir -p admin/static/vendor/govuk-frontend
	cp -r node_modules/govuk-frontend/dist/govuk/assets node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css \
	  node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js admin/static/vendor/govuk-frontend/
	touch $@

$(APP_VENV)/.installed: requirements/app.txt
	rm -rf $(APP_VENV)
	"$$(scripts/find-python 3.12)" -m venv $(APP_VENV)
	$(APP_PY) -m pip install --quiet --upgrade pip
	$(APP_PY) -m pip install --quiet -r requirements/app.txt
	touch $@

$(RASA_VENV)/.installed: requirements/rasa.txt
	rm -rf $(RASA_VENV)
	"$$(scripts/find-python 3.10)" -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(RASA_VENV)/bin/python -m pip install --quiet -r requirements/rasa.txt
	touch $@

train: $(MODEL)

# Rasa skips the work itself when the fingerprint matches; make skips even asking.
$(MODEL): $(RASA_VENV)/.installed $(TRAINING)
	cd bot && ../$(RASA) train --config config.yml --domain domain.yml --data data \
	  --out ../models --fixed-model-name frontdoor
	touch $@

db: $(APP_VENV)/.installed
	$(APP_PY) -m content init

# Gettext catalogs: one domain for residents (messages), one for staff (admin). See content/i18n.py.
DOMAINS := messages admin
LOCALES := cy pl ro pa ur pt es ar bn gu
PYBABEL := $(APP_VENV)/bin/pybabel

translations: $(APP_VENV)/.installed
	@for d in $(DOMAINS); do \
	  if ls locales/*/LC_MESSAGES/$$d.po >/dev/null 2>&1; then \
	    $(PYBABEL) -q compile --directory locales --domain $$d || exit 1; fi; done

# Re-extract every marked string and merge it into each locale's catalogs (new ones start empty,
# and the test suite fails until they are translated).
translations-update: $(APP_VENV)/.installed
	@for d in $(DOMAINS); do \
	  $(PYBABEL) -q extract --mapping-file locales/babel-$$d.cfg --project "Front Door" \
	    --copyright-holder "Front Door contributors" --no-location --sort-output \
	    --keywords _l --keywords lazy_gettext --output-file locales/$$d.pot . || exit 1; \
	  for l in $(LOCALES); do \
	    if [ -f locales/$$l/LC_MESSAGES/$$d.po ]; then \
	      $(PYBABEL) -q update --input-file locales/$$d.pot --output-dir locales --domain $$d --locale $$l --no-fuzzy-matching --ignore-obsolete; \
	    else \
	      $(PYBABEL) -q init --input-file locales/$$d.pot --output-dir locales --domain $$d --locale $$l; fi || exit 1; \
	  done; done

run: install translations $(MODEL) db
	$(APP_PY) scripts/services.py

test: install translations $(MODEL)
	$(APP_PY) -m pytest

bench: install translations $(MODEL)
	$(APP_PY) -m tests.bench

content-import: db
	$(APP_PY) -m content import

content-export: db
	$(APP_PY) -m content export

lock:
	"$$(scripts/find-python 3.12)" -m venv /tmp/frontdoor-lock-app && /tmp/frontdoor-lock-app/bin/pip install -q -r requirements/app.in \
	  && /tmp/frontdoor-lock-app/bin/pip freeze > requirements/app.txt && rm -rf /tmp/frontdoor-lock-app
	"$$(scripts/find-python 3.10)" -m venv /tmp/frontdoor-lock-rasa && /tmp/frontdoor-lock-rasa/bin/pip install -q -r requirements/rasa.in \
	  && /tmp/frontdoor-lock-rasa/bin/pip freeze > requirements/rasa.txt && rm -rf /tmp/frontdoor-lock-rasa

clean:
	rm -rf .venv models results bench-results var/*.db node_modules admin/static/vendor
