# NAT, the Next Action Tracker. `make help` lists the targets.
# Local targets run on this machine: the embedded PostgreSQL (PGlite, under ./data) unless DATABASE_URL is set.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NX := npx nx
export NX_NO_CLOUD := true
export NX_DAEMON ?= false

STAMP := node_modules/.install-stamp

# How the API's Node runs in production. The old generation may grow to three times what survived the last full
# collection before V8 collects it again; without the flag V8 lets a busy API's heap grow to about 4 x (over
# 300 MB), and a cap such as --max-old-space-size=192 switches V8 to its memory-constrained policy, a full
# collection every second under load. Each full collection stalls the requests behind it for tens of ms, so
# fewer of them is what keeps the p99 low: about one every 10-15 s at 300 due pages/s, for ~270 MB at peak.
# And no allocation-site pretenuring: V8 had decided to allocate node-postgres's result arrays straight into
# the old generation, and every row and string put into them then outlived the young collections (~60 kB per
# due page). make bench and make test-load use the same options; the production image's CMD passes the same
# flags.
export NAT_NODE_OPTIONS ?= --heap-growing-percent=200 --no-allocation-site-pretenuring
# And how its C library allocates: every block of 128 kB or more comes from the kernel and goes back to it when
# freed. glibc's default raises that threshold after the first such free, so each sign-in's 19 MiB of argon2
# scratch memory stayed in the allocator of whichever worker thread hashed it: up to 80 MB of RSS kept for
# nothing once four threads had hashed. The bench, the load tests and the production image set the same.
export NAT_MALLOC_MMAP_THRESHOLD ?= 131072

.PHONY: help install chromium nginx build start test test-load bench lint format migrate seed create-admin openapi clean

# apt needs root; CI and this machine run as root, elsewhere sudo asks.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

help: ## List the targets
	@grep -hE '^[a-z][a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-13s %s\n", $$1, $$2}'

$(STAMP): package.json package-lock.json
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("NAT needs Node >= 20.19, found "+process.version); process.exit(1) }'
	npm ci --no-audit --no-fund
	@touch $@

install: $(STAMP) ## Install dependencies when package-lock.json changed (npm ci)

chromium: ## Install Debian's Chromium for the browser tests when it is missing
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# /usr/sbin is not on every user's PATH, hence the -x test.
nginx: ## Install Debian's nginx, envsubst and shellcheck for the production-topology and ops tests when missing
	@[ -x /usr/sbin/nginx ] && command -v envsubst >/dev/null && command -v shellcheck >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx gettext-base shellcheck; }

build: install ## Build the backend and the dashboard (Nx, cached)
	$(NX) run-many -t build

start: build ## Build and serve the API and the dashboard on http://localhost:8000 (PORT overrides); embedded PostgreSQL with demo data unless DATABASE_URL is set
	MALLOC_MMAP_THRESHOLD_=$(NAT_MALLOC_MMAP_THRESHOLD) node $(NAT_NODE_OPTIONS) dist/backend/main.js

test: install chromium nginx ## Run every check: format, lint, typecheck, unit tests, API, browser (direct and through nginx), replica, backup and compose checks
	npx prettier --check .
	$(NX) run-many -t lint test --outputStyle=stream
	$(NX) run-many -t e2e e2e-embedded --parallel=1 --outputStyle=stream

test-load: install ## Load and fault tests on loopback: soak at 500 req/s, database outage, SIGTERM under load, concurrent Idempotency-Key retries (LOAD_SECONDS, default 60)
	$(NX) run bench:test-load --outputStyle=stream

bench: install ## Benchmark a 1,000,000-opportunity tenant on the local PostgreSQL (BENCH_DATABASE_URL) against a raw node:http + pg baseline; writes bench/results/ (BENCH_SCALE=0.01 for a quick run)
	$(NX) run bench:bench --outputStyle=stream

lint: install ## Lint and format-check (Prettier, ESLint, tsc)
	npx prettier --check .
	$(NX) run-many -t lint

format: install ## Format every file with Prettier
	npx prettier --write .

# True when the compose stack of make up runs (COMPOSE_FILE picks the file, as docker compose itself does).
COMPOSE_RUNNING = $(DOCKER_COMPOSE) ps -q backend 2>/dev/null | grep -q .

migrate: ## Apply pending migrations: in the compose stack when it runs (make up), else local (DATABASE_URL, else the embedded database while NAT is stopped)
	@if $(COMPOSE_RUNNING); then $(DOCKER_COMPOSE) exec -T backend node dist/backend/bin/migrate.js; \
	else $(MAKE) --no-print-directory install && $(NX) run backend:migrate --outputStyle=stream; fi

seed: ## Add the demo tenants, users and opportunities, idempotently: in the compose stack when it runs (make up), else local (DATABASE_URL, else the embedded database)
	@if $(COMPOSE_RUNNING); then $(DOCKER_COMPOSE) exec -T backend node dist/backend/bin/seed.js; \
	else $(MAKE) --no-print-directory install && $(NX) run backend:seed --outputStyle=stream; fi

create-admin: build ## Create a tenant and its first admin: asks, or reads NAT_TENANT_NAME, NAT_ADMIN_EMAIL, NAT_ADMIN_PASSWORD… (local)
	node dist/backend/bin/create-admin.js

.PHONY: backup restore
backup: ## Back up into ./backups (BACKUP_DIR): local pg_dump -Fc of DATABASE_URL, else a tar.gz of the embedded ./data while NAT is stopped; COMPOSE=1: pg_dump inside the compose db container
	@ops/backup.sh

restore: ## Restore FILE=… into an empty database, refusing anything else: local DATABASE_URL, else the embedded ./data (NAT stopped); COMPOSE=1: the compose db container
	@ops/restore.sh "$(FILE)"

.PHONY: up down logs
DOCKER_COMPOSE ?= docker compose
up: ## Compose: start docker-compose.yml (:3000, :8000, :5432) and wait until healthy (COMPOSE_FILE=docker-compose.prod.yml: production)
	$(DOCKER_COMPOSE) up -d --build --wait

down: ## Compose: stop the stack of make up (volumes, the database among them, stay)
	$(DOCKER_COMPOSE) down

logs: ## Compose: follow the stack's logs (SERVICE=backend for one service)
	$(DOCKER_COMPOSE) logs -f --tail=100 $(SERVICE)

openapi: install ## Write backend/openapi.json from the code (no database needed) and regenerate the dashboard's API client
	$(NX) run frontend:generate-api

clean: ## Local: remove build output, caches and the embedded database folder (./data); compose volumes stay (docker compose down -v drops them)
	rm -rf dist coverage .nx/cache .nx/workspace-data .angular tmp data
