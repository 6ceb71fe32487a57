"""Parsing untrusted scenario text (YAML or JSON) into plain Python data, within limits.

Limits are checked on the parser's node tree before any value is built, so that a small hostile
file cannot take the process's memory or time: nesting depth, the number of nodes with YAML aliases
expanded (an alias "bomb" multiplies them), the length of a scalar and of a number. Duplicate keys
are refused (the last one would otherwise win silently), and `id` values stay the text written
(YAML would read `012` as 10 and `1:30` as 90). Every failure is a ScenarioError in English and
Japanese naming where it is."""

from __future__ import annotations

import json
import re

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import ScenarioError

MAX_DEPTH = 32
MAX_NODES = 20_000
MAX_SCALAR_CHARS = 20_000
MAX_NUMBER_DIGITS = 100
ID_KEYS = {"id"}


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it


class Yaml12Loader(_SAFE_LOADER):
    """YAML with YAML 1.2 booleans: only true/false are booleans, so a key like `on` stays a string."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


def _where(path: list) -> str:
    return ".".join(str(step) for step in path) or "(top level)"


def _refuse(path: list, en: str, ja: str) -> ScenarioError:
    return ScenarioError(f"{_where(path)}: {en}", f"{_where(path)}：{ja}")


def _check_yaml(root) -> None:
    """Walk the composed YAML node tree (aliases expanded, without building values): depth, node
    count, scalar and number sizes, duplicate keys; `id` scalars are retagged as strings."""
    seen = 0
    stack = [(root, [], 0)]
    while stack:
        node, path, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise ScenarioError(f"the scenario has more than {MAX_NODES} values (YAML aliases expanded); "
                                "a scenario is a short document",
                                f"値が {MAX_NODES} 個を超えています（YAMLのエイリアスを展開して数えます）")
        if depth > MAX_DEPTH:
            raise _refuse(path, f"nested more than {MAX_DEPTH} levels deep", f"入れ子が {MAX_DEPTH} 段を超えています")
        if isinstance(node, ScalarNode):
            if len(node.value) > MAX_SCALAR_CHARS:
                raise _refuse(path, f"a value longer than {MAX_SCALAR_CHARS} characters", f"値が {MAX_SCALAR_CHARS} 文字を超えています")
            if node.tag in NUMBER_TAGS and len(node.value) > MAX_NUMBER_DIGITS:
                raise _refuse(path, f"a number longer than {MAX_NUMBER_DIGITS} characters", f"数値が {MAX_NUMBER_DIGITS} 文字を超えています")
        elif isinstance(node, SequenceNode):
            stack.extend((child, path + [index], depth + 1) for index, child in enumerate(node.value))
        elif isinstance(node, MappingNode):
            keys = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, ScalarNode) else None
                if key is not None and key in keys:
                    raise _refuse(path + [key], "the key is given twice; give each key once",
                                  "同じキーが二度あります。キーは一度だけ書いてください")
                keys.add(key)
                if key in ID_KEYS and isinstance(value_node, ScalarNode) and value_node.tag != "tag:yaml.org,2002:null":
                    value_node.tag = "tag:yaml.org,2002:str"
                stack.append((key_node, path + ["(key)"], depth + 1))
                stack.append((value_node, path + [key if key is not None else "(key)"], depth + 1))


def parse_yaml(text: str):
    """YAML text (1.2 booleans) as Python data, within the limits."""
    loader = Yaml12Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _check_yaml(root)
        return loader.construct_document(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        where_ja = f"（{mark.line + 1}行 {mark.column + 1}列）" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if "maximum nesting depth" in problem:  # libyaml stops far deeper documents while parsing
            raise ScenarioError(f"nested more than {MAX_DEPTH} levels deep", f"入れ子が {MAX_DEPTH} 段を超えています") from exc
        raise ScenarioError(f"not valid YAML: {problem}{where}", f"YAML として読めません{where_ja}") from exc
    except RecursionError as exc:
        raise ScenarioError(f"nested more than {MAX_DEPTH} levels deep", f"入れ子が {MAX_DEPTH} 段を超えています") from exc
    except (ValueError, TypeError, OverflowError) as exc:
        raise ScenarioError(f"not a readable YAML scenario: {type(exc).__name__}: {str(exc)[:200]}",
                            "YAML のシナリオとして読めません") from exc
    finally:
        loader.dispose()


def _json_pairs(pairs):
    mapping = {}
    for key, value in pairs:
        if key in mapping:
            raise ScenarioError(f"{key}: the key is given twice; give each key once",
                                f"{key}：同じキーが二度あります。キーは一度だけ書いてください")
        mapping[key] = value
    return mapping


def _json_number(text: str):
    if len(text) > MAX_NUMBER_DIGITS:
        raise ScenarioError(f"a number longer than {MAX_NUMBER_DIGITS} characters", f"数値が {MAX_NUMBER_DIGITS} 文字を超えています")
    return float(text) if any(c in text for c in ".eE") else int(text)


def _check_depth(data) -> None:
    stack, seen = [(data, 0)], 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            raise ScenarioError(f"nested more than {MAX_DEPTH} levels deep", f"入れ子が {MAX_DEPTH} 段を超えています")
        if seen > MAX_NODES:
            raise ScenarioError(f"the scenario has more than {MAX_NODES} values", f"値が {MAX_NODES} 個を超えています")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)


def parse_json(text: str):
    """JSON text as Python data, within the limits (duplicate keys refused)."""
    try:
        data = json.loads(text, object_pairs_hook=_json_pairs, parse_int=_json_number, parse_float=_json_number)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                            f"JSON として読めません（{exc.lineno}行 {exc.colno}列）") from exc
    except RecursionError as exc:
        raise ScenarioError(f"nested more than {MAX_DEPTH} levels deep", f"入れ子が {MAX_DEPTH} 段を超えています") from exc
    _check_depth(data)
    return data
