# Every target runs through npm scripts so that Node 24 (the `node` devDependency) is used.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DEPS_STAMP := node_modules/.deps-stamp
WORKSPACE_MANIFESTS := $(wildcard */package.json)

.PHONY: help run seed test tools deps lint format bench

# Packages add their own targets in <dir>/make.mk and append the ones `make test` must run
# (after lint and the workspaces' jest suites) to TEST_TARGETS.
TEST_TARGETS :=
include $(sort $(wildcard */make.mk))

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: deps ## Start the whole product with embedded defaults at http://localhost:8080
	npm run --silent start

TICKETS ?= 10000
seed: deps ## Add generated tickets to make run's data (stop make run first): make seed TICKETS=100000
	npm run --silent start -w @helpdesk/api -- seed --tickets $(TICKETS)

test: tools deps ## Install what is missing, then run every test tier
	npm run --silent lint
	npm run --silent test
	$(if $(strip $(TEST_TARGETS)),$(MAKE) --no-print-directory $(TEST_TARGETS))

tools: ## Debian packages + helm, kube-apiserver, etcd, MinIO built into ~/.cache/helpdesk
	tools/install.sh

deps: $(DEPS_STAMP) ## npm packages (including Node 24 itself)

# A fresh clone gets exactly the lockfile (npm ci); an existing tree is brought up to date in
# place, so a changed lockfile never wipes node_modules under a running test.
$(DEPS_STAMP): package.json package-lock.json $(WORKSPACE_MANIFESTS)
	if [ -d node_modules ]; then npm install --no-audit --no-fund --loglevel=error; \
	else npm ci --no-audit --no-fund --loglevel=error; fi
	touch $@

lint: deps ## biome (lint + format check) and TypeScript
	npm run --silent lint

format: deps ## Apply biome's formatting and safe fixes
	npm run --silent format

bench: tools deps ## Benchmarks: one Markdown table of figures beside same-run ceilings
	npm run --silent bench
