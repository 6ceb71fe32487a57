"""Every case in cases/ evaluates to the result its sources state."""

import pytest

from chosaku import ValidationError, evaluate

from case_library import case_files, invalid_case_files, mismatches, read_case


def test_the_library_is_large_enough():
    assert len(case_files()) >= 40


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.stem)
def test_case_meets_its_expected_result(path):
    case = read_case(path)
    assert case["sources"], "every case names the passages it rests on"
    result = evaluate(path).to_dict()
    problems = mismatches(case["expected"], result)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", invalid_case_files(), ids=lambda p: p.stem)
def test_invalid_case_is_refused_with_its_message(path):
    case = read_case(path)
    with pytest.raises(ValidationError) as refused:
        evaluate(path)
    text = str(refused.value)
    for fragment in case["expected_error"]:
        assert fragment in text, f"{fragment!r} not in {text!r}"
