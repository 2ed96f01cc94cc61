"""The record base class every model and result type is built on."""

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rectcli.notice.model import Node
from rectcli.record import Record


class Point(Record):
    x: int
    y: int
    label: str = ""


def test_fields_defaults_and_keywords():
    assert Point._fields == ("x", "y", "label")
    assert Point(1, 2) == Point(x=1, y=2, label="") == Point(1, y=2)
    assert Point(1, 2, "a").label == "a"
    n = Node("6.4", "六(四)", "(四)", "加强公车管理")
    assert n.paragraphs == () and n.children == () and n.runin is False and n.errata == ()
    assert n.section_id == "6" and n.depth == 2


@pytest.mark.parametrize("args,kwargs,needle", [
    ((1,), {}, "needs 'y'"),
    ((1, 2, "a", 4), {}, "takes 3 values"),
    ((1, 2), {"z": 3}, "no field 'z'"),
    ((1, 2), {"x": 3}, "'x' twice"),
])
def test_wrong_arguments_are_type_errors(args, kwargs, needle):
    with pytest.raises(TypeError, match=needle):
        Point(*args, **kwargs)


def test_immutable():
    p = Point(1, 2)
    with pytest.raises(AttributeError):
        p.x = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p.y


def test_field_without_default_after_one_with_is_refused():
    with pytest.raises(TypeError, match="without a default"):
        class Bad(Record):
            a: int = 0
            b: int


@given(st.integers(), st.integers(), st.text())
def test_value_semantics(x, y, label):
    p = Point(x, y, label)
    assert p == Point(x, y, label) and hash(p) == hash(Point(x, y, label))
    assert p != Point(x + 1, y, label)
    assert tuple(p) == (x, y, label)
    assert p._asdict() == {"x": x, "y": y, "label": label}
    assert p._replace(y=0) == Point(x, 0, label) and p.y == y
    assert pickle.loads(pickle.dumps(p)) == p
    assert repr(p) == f"Point(x={x!r}, y={y!r}, label={label!r})"
