# The two commands a newcomer runs (README.md): `make dev` and `make test`.
.PHONY: dev test bench tools clean

## make dev: install what is missing, start the local AWS, seed a demo, serve the portal.
dev:
	@scripts/dev.sh

## make test: everything CI runs (formatting, clippy, Rust tests, launcher tests, browser tests).
test:
	@scripts/test.sh

## make bench: Verify Configuration's timings against the local AWS (printed, not asserted).
bench:
	@scripts/bench.sh

## make tools: only install/upgrade the pinned tools.
tools:
	@scripts/install-tools.sh --browser

clean:
	cargo clean
	rm -rf .local-aws data end2end/test-results
