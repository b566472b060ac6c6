# NAT, the Next Action Tracker. `make help` lists the targets.
# Local targets run on this machine: the embedded PostgreSQL (PGlite, under ./data) unless DATABASE_URL is set.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NX := npx nx
export NX_NO_CLOUD := true
export NX_DAEMON ?= false

STAMP := node_modules/.install-stamp

.PHONY: help install build start test lint format migrate seed openapi clean

help: ## List the targets
	@grep -hE '^[a-z][a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): package.json package-lock.json
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("NAT needs Node >= 20.19, found "+process.version); process.exit(1) }'
	npm ci --no-audit --no-fund
	@touch $@

install: $(STAMP) ## Install dependencies when package-lock.json changed (npm ci)

build: install ## Build the backend (Nx, cached)
	$(NX) run-many -t build

start: build ## Build and serve NAT on http://localhost:8000 (PORT overrides); embedded PostgreSQL with demo data unless DATABASE_URL is set
	node dist/backend/main.js

test: install ## Run every check: format, lint, typecheck, unit and e2e tests (real PostgreSQL), OpenAPI spec freshness
	npx prettier --check .
	$(NX) run-many -t lint test e2e --outputStyle=stream

lint: install ## Lint and format-check (Prettier, ESLint, tsc)
	npx prettier --check .
	$(NX) run-many -t lint

format: install ## Format every file with Prettier
	npx prettier --write .

migrate: build ## Apply pending migrations (local: DATABASE_URL, else the embedded database while NAT is stopped)
	node dist/backend/bin/migrate.js

seed: build ## Add the demo tenants and opportunities, idempotently (local: DATABASE_URL, else the embedded database)
	node dist/backend/bin/seed.js

openapi: build ## Write backend/openapi.json from the code (no database needed)
	$(NX) run backend:openapi

clean: ## Remove build output, caches and the embedded database folder (./data)
	rm -rf dist coverage .nx/cache .nx/workspace-data data
