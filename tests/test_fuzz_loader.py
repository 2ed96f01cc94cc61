"""Mutated notice files: every case loads or is a DataError naming a path; nothing else escapes."""

from __future__ import annotations

import copy
import json

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectcli.errors import DataError
from rectcli.notice.format import load_notice, load_schema, load_schema_v1
from rectcli.notice.schema import iter_errors
from tests.paths import DATA, DATA_V1

TEXT = DATA.read_text(encoding="utf-8")
RAW = yaml.safe_load(TEXT)
SCHEMA = load_schema()
# format 1 (rectcli 1.x) still loads: read by its own rules, then upgraded to format 2
TEXT_V1 = DATA_V1.read_text(encoding="utf-8")
RAW_V1 = yaml.safe_load(TEXT_V1)
SCHEMA_V1 = load_schema_v1()


def _containers(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _containers(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _containers(v, path + (i,))


PATHS = [p for p, _ in _containers(RAW) if p]
PATHS_V1 = [p for p, _ in _containers(RAW_V1) if p]
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


def _mutated(raw, mutations):
    data = copy.deepcopy(raw)
    for path, how, junk in mutations:
        try:
            _mutate(data, path, how, junk)
        except (KeyError, IndexError, TypeError):
            continue
    return data


def _loads_or_names_a_path(tmp_path_factory, data) -> None:
    target = tmp_path_factory.mktemp("fuzz") / "n.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_notice(str(target))
    except DataError as e:
        assert ": " in str(e) and str(target) in str(e)


def _schema_checkers_agree(data, schema) -> None:
    plain = json.loads(json.dumps(data, default=str))
    assert (not list(iter_errors(plain, schema))) == jsonschema.Draft202012Validator(schema).is_valid(plain)


MUTATIONS = st.sampled_from(["delete", "retype", "swap", "duplicate"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), MUTATIONS, JUNK), min_size=1, max_size=3))
def test_mutated_structures(tmp_path_factory, mutations):
    data = _mutated(RAW, mutations)
    _loads_or_names_a_path(tmp_path_factory, data)
    # the loader's schema checker agrees with the reference implementation
    _schema_checkers_agree(data, SCHEMA)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS_V1), MUTATIONS, JUNK), min_size=1, max_size=3))
def test_mutated_format_1_structures(tmp_path_factory, mutations):
    data = _mutated(RAW_V1, mutations)
    _loads_or_names_a_path(tmp_path_factory, data)
    _schema_checkers_agree(data, SCHEMA_V1)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([TEXT, TEXT_V1]), st.floats(0, 1))
def test_truncated_files(tmp_path_factory, text, where):
    target = tmp_path_factory.mktemp("cut") / "n.yaml"
    target.write_text(text[:round(len(text) * where)], encoding="utf-8")
    try:
        load_notice(str(target))
    except DataError as e:
        assert str(target) in str(e)
