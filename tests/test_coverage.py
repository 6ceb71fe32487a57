"""docs/COVERAGE.md is generated from the ontology and the cases and must not go stale."""

from checkout import REPO_ROOT
from chosaku.coverage import COVERAGE_FILE, build_coverage


def test_coverage_document_is_current():
    expected = build_coverage()
    assert (REPO_ROOT / COVERAGE_FILE).read_text(encoding="utf-8") == expected, \
        "docs/COVERAGE.md is stale: run `chosaku coverage --write`"


def test_every_requirement_is_exercised_or_explains_why_not():
    text = build_coverage()
    tail = text.split("## Requirements no case exercises", 1)[1]
    for line in tail.splitlines():
        if line.startswith("- ") and line != "- none":
            assert ": " in line.split("`", 4)[-1], f"unexercised without a reason: {line}"
