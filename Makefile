# The two commands a newcomer types: `make demo` and `make test`.
# Both make .venv (scripts/setup.sh); both get a Docker engine and the sandbox images when needed.
.PHONY: demo test setup engine test-tools

setup:
	@bash scripts/setup.sh

engine: setup
	@bash scripts/engine.sh

demo: engine
	.venv/bin/tutorcheck extract feeds -o generated
	.venv/bin/tutorcheck check generated --report out/report.md --json out/results.json --junit out/junit.xml || test $$? -eq 1

test-tools:
	@bash scripts/test-tools.sh

test: engine test-tools
	.venv/bin/ruff check extractor tests benchmarks sandboxes
	.venv/bin/mypy
	.venv/bin/python -m pytest -n 2 -p no:cacheprovider
