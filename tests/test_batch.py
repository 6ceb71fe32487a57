"""Evaluating many scenarios together gives, for each, exactly what evaluate() gives alone:
no rule leaks facts from one scenario into another."""

import copy

from chosaku import evaluate
from chosaku.batch import evaluate_many

from case_library import case_files, read_case


def _scenario(path):
    data = copy.deepcopy(read_case(path))
    for key in ("expected", "sources"):
        data.pop(key, None)
    return data


def test_batch_summaries_equal_single_evaluations():
    paths = case_files()
    summaries = evaluate_many([_scenario(p) for p in paths])
    assert len(summaries) == len(paths)
    for path, summary in zip(paths, summaries):
        single = evaluate(path).to_dict()
        assert summary["valid"]
        assert summary["rag_type"] == single["rag_type"], path.stem
        assert summary["display_pattern"] == single["display_pattern"], path.stem
        assert summary["conclusions"] == {a["act"]: a["conclusion"] for a in single["acts"]}, path.stem
        assert summary["exemptions"] == {a["act"]: a["exemptions"] for a in single["acts"] if a["exemptions"]}, path.stem
        assert summary["missing_facts"] == single["missing_facts"], path.stem
        assert summary["liable"] == {e["actor"]: e["role"] for e in single["liable"]}, path.stem


def test_batch_reports_invalid_scenarios_and_evaluates_the_rest():
    good = _scenario(case_files()[0])
    bad = dict(copy.deepcopy(good), id="broken", display="full", expression_output_purpose=False)
    summaries = evaluate_many([good, bad])
    assert summaries[0]["valid"] and summaries[0]["conclusions"]
    assert not summaries[1]["valid"] and not summaries[1]["conclusions"]
    assert any("Contradiction" in p for p in summaries[1]["problems"])
