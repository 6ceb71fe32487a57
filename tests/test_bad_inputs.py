"""Malformed scenarios are refused with a message naming what is wrong and what was expected."""

import json
from pathlib import Path

import pytest

from chosaku import ChosakuError, ScenarioError, ValidationError, evaluate

HERE = Path(__file__).parent / "bad_inputs"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_is_refused_with_its_message(name):
    with pytest.raises(ChosakuError) as refused:
        evaluate(HERE / name)
    assert isinstance(refused.value, (ScenarioError, ValidationError))
    text = str(refused.value)
    for fragment in EXPECTED[name]:
        assert fragment in text, f"{fragment!r} not in {text!r}"


def test_every_validation_message_is_bilingual():
    for name in sorted(EXPECTED):
        try:
            evaluate(HERE / name)
        except ScenarioError as exc:
            assert " / " in str(exc), exc  # en / ja
        except ValidationError as exc:
            for problem in exc.problems:
                assert problem.message_en and problem.message_ja and problem.message_en != problem.message_ja, problem


def test_huge_input_is_refused_without_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("id: huge\n" + "notes: " + "x" * 2_000_000 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="larger than 1000000 bytes, the most a YAML or JSON scenario may have"):
        evaluate(path)
    with pytest.raises(ScenarioError, match="larger than 1000000 bytes, the most a YAML or JSON scenario may have"):
        evaluate("id: huge\nnotes: " + "行" * 400_000)  # 1.2 MB in UTF-8, fewer characters than bytes
    turtle = tmp_path / "huge.ttl"
    turtle.write_text("# " + "x" * 8_000_000 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="larger than 8000000 bytes"):
        evaluate(turtle)
    with pytest.raises(ScenarioError, match="larger than 8000000 bytes, the most a Turtle scenario may have"):
        evaluate("@prefix kg: <https://w3id.org/chosaku-kg/ns#> .\n# " + "x" * 8_000_000)


def test_a_missing_file_is_named():
    with pytest.raises(ScenarioError, match="no such file"):
        evaluate(Path("does/not/exist.yaml"))
