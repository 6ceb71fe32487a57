"""docs/COVERAGE.md is generated from the ontology and the cases and must not go stale."""

from checkout import REPO_ROOT
from chosaku.coverage import COVERAGE_FILE, GAPS_HEADING, build_coverage


def test_coverage_document_is_current():
    expected = build_coverage()
    assert (REPO_ROOT / COVERAGE_FILE).read_text(encoding="utf-8") == expected, \
        "docs/COVERAGE.md is stale: run `chosaku coverage --write`"


def test_every_requirement_is_met_and_unmet_in_some_case_or_explains_why_not():
    """Every requirement of every modelled provision has a case where it is met and one where it is
    unmet, or the ontology says why no scenario can give one (kg:unassessedReason,
    kg:neverUnmetReason)."""
    text = (REPO_ROOT / COVERAGE_FILE).read_text(encoding="utf-8")
    tail = text.split(f"## {GAPS_HEADING}", 1)[1]
    gaps = [line for line in tail.splitlines() if line.startswith("- ") and line != "- none"]
    for line in gaps:
        assert ": " in line.split(" case)", 1)[-1], f"a met or unmet case missing, without a reason: {line}"
    assert len(gaps) <= 4, gaps
