# go-wsc: make run (the server on embedded defaults, development identity), make test (vet + race tests + a short fuzz).
GO            ?= go
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# A count, not a duration: Go 1.26's fuzz coordinator can report a spurious
# "context deadline exceeded" when a -fuzztime duration ends (golang/go#75804,
# fixed in Go 1.27); a count has no deadline to race.
FUZZTIME      ?= 200000x
# The records' binary decoder reads what a crash may have cut short on disk.
FUZZTIME_RECORDS ?= 50000x
TEST_TIMEOUT  ?= 7m

.PHONY: run test vet fuzz bench lint fmt browser js mutate

# -dev-identity: the console signs in with ?user_id= (the server says it is a
# development mode); a deployment sets a token configuration instead. Its
# state (offline messages, pending acks, records…) survives in ./wsc-data
# (-data-dir, git-ignored); WSC_MEMORY=1 make run keeps none.
run:
	$(GO) run ./cmd/wsc-server -dev-identity

# The hub runs one shard per core by default (actors/hub/shards.go); the
# hub's, ws's and sse's suites run with one shard too (a node with a Bus
# runs one, as does a one-core machine).
test: browser vet js
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...
	WSC_TEST_SHARDS=1 $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./actors/hub ./transport/ws ./transport/sse
	cd bench && $(GO) vet ./... && $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...
	$(MAKE) fuzz

# The console's test drives a real browser: Debian's Chromium, installed when
# missing (set WSC_SKIP_BROWSER=1 to run without it).
browser:
	@command -v chromium >/dev/null || [ "$${WSC_SKIP_BROWSER:-}" = 1 ] || \
		(apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

vet:
	$(GO) vet ./...

# The TypeScript client (client/js): npm ci, a check that the committed dist/
# and console bundle are what the sources build to, and its node --test suite
# against the real server. It needs Node.js (>= 18) and npm.
js:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
		echo "make js: client/js needs Node.js >= 18 and npm: apt-get install -y nodejs npm (.ci/run does)" >&2; exit 1; }
	cd client/js && npm ci --no-audit --no-fund && npm run check-built && npm test

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./protocol
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeFast$$' -fuzztime $(FUZZTIME) ./protocol
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME_RECORDS) ./store/recordstore

# In-process benchmarks of the library, then bench/ (its own module): this hub
# against lock-based hubs over loopback WebSockets, writing bench/RESULTS.md.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	cd bench && $(GO) run ./cmd/wsc-bench

lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

fmt:
	gofmt -s -w $$(git ls-files '*.go')

# Mutation testing (docs/mutation.md), not part of make test; about 2 h for
# the four packages on a quiet 2-core machine, much more on a busy one.
# gremlins (integration mode) mutates each package of MUTATE_PKGS in turn and,
# for every mutant, runs the tests of those MUTATE_TESTS packages that depend
# on it, the package's own first (the hub is mostly tested through
# transport/ws, transport/sse and transport/nats; -coverpkg counts their
# coverage). The go wrapper in .ci/mutate turns gremlins' "./..." into that
# list, stops at the first package that fails twice (timing-sensitive tests
# get a second try), and gives each package its own -timeout (MUTATE_TIMEOUTS):
# a test that hangs fails there and counts as a kill (the defaults leave a
# loaded machine three times the package's usual time: under a load of 20 the
# hub's tests took 26-38 s, and a timeout is a kill). Each kill is logged
# with its killing test in $(MUTATE_KILLS). One worker (a test run
# uses both cores), no vet, no test cache; gremlins' own deadline (20x the
# coverage run) is only a backstop. One package:
#   make mutate MUTATE_PKGS=actors/ack
# Results per mutant on stdout, per package in $(MUTATE_OUT)/<pkg>.json.
GREMLINS      := github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
MUTATE_PKGS   ?= actors/ack actors/session actors/hub transport/ws
MUTATE_TESTS  ?= ./actors/session ./actors/hub ./actors/ack ./transport/sse ./transport/nats ./transport/ws
MUTATE_OUT    ?= $(or $(TMPDIR),/tmp)/wsc-mutate
MUTATE_FLAGS  ?= --workers 1 --timeout-coefficient 20
MUTATE_TEST_TIMEOUT ?= 60s
MUTATE_TIMEOUTS ?= ./actors/session=60s ./actors/hub=60s ./actors/ack=60s ./transport/sse=135s ./transport/nats=135s ./transport/ws=270s
MUTATE_SKIP   ?=
MUTATE_KILLS  ?= $(MUTATE_OUT)/kills.log

mutate:
	GOBIN=$(MUTATE_OUT)/bin $(GO) install $(GREMLINS)
	@set -e; real=$$(command -v $(GO)); mod=$$($(GO) list -m); for p in $(MUTATE_PKGS); do \
		tests=""; for t in $(MUTATE_TESTS); do \
			if [ $$t = ./$$p ]; then tests="$$t$$tests"; \
			elif $(GO) list -test -deps $$t | grep -qx "$$mod/$$p"; then tests="$$tests $$t"; fi; \
		done; \
		echo "== mutate $$p, tests:$$tests (results: $(MUTATE_OUT)/$$(echo $$p | tr / -).json)"; \
		PATH=$(CURDIR)/.ci/mutate:$$PATH MUTATE_GO=$$real MUTATE_TESTS="$$tests" MUTATE_SKIP="$(MUTATE_SKIP)" MUTATE_TEST_TIMEOUT=$(MUTATE_TEST_TIMEOUT) MUTATE_TIMEOUTS="$(MUTATE_TIMEOUTS)" MUTATE_KILLS=$(MUTATE_KILLS) GOFLAGS="-vet=off -count=1" \
			$(MUTATE_OUT)/bin/gremlins unleash --integration --coverpkg ./$$p $(MUTATE_FLAGS) \
			-o $(MUTATE_OUT)/$$(echo $$p | tr / -).json $(CURDIR)/$$p; \
	done
