"""Mutated notice files: every case loads or is a DataError naming a path; nothing else escapes."""

from __future__ import annotations

import copy
import json

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectcli.errors import DataError
from rectcli.notice.format import load_notice, load_schema
from rectcli.notice.schema import iter_errors
from tests.paths import DATA

TEXT = DATA.read_text(encoding="utf-8")
RAW = yaml.safe_load(TEXT)
SCHEMA = load_schema()


def _containers(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _containers(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _containers(v, path + (i,))


PATHS = [p for p, _ in _containers(RAW) if p]
JUNK = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5), st.booleans(),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _mutate(data, path, how, junk):
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "retype":
        parent[last] = junk
    elif how == "swap" and isinstance(parent[last], list) and len(parent[last]) > 1:
        parent[last] = list(reversed(parent[last]))
    elif how == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), st.sampled_from(["delete", "retype", "swap", "duplicate"]), JUNK),
                min_size=1, max_size=3))
def test_mutated_structures(tmp_path_factory, mutations):
    data = copy.deepcopy(RAW)
    for path, how, junk in mutations:
        try:
            _mutate(data, path, how, junk)
        except (KeyError, IndexError, TypeError):
            continue
    target = tmp_path_factory.mktemp("fuzz") / "n.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_notice(str(target))
    except DataError as e:
        assert ": " in str(e)
    # the loader's schema checker agrees with the reference implementation
    ours = not list(iter_errors(json.loads(json.dumps(data, default=str)), SCHEMA))
    reference = jsonschema.Draft202012Validator(SCHEMA).is_valid(json.loads(json.dumps(data, default=str)))
    assert ours == reference


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(TEXT)))
def test_truncated_files(tmp_path_factory, cut):
    target = tmp_path_factory.mktemp("cut") / "n.yaml"
    target.write_text(TEXT[:cut], encoding="utf-8")
    try:
        load_notice(str(target))
    except DataError as e:
        assert str(target) in str(e)
