"""The rewrite of h11's test modules and the verdict on their results."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rewrite import rewrite, rewrite_package
from run import EXPECTED_FAILURES, check_candidate, check_reference

PUBLIC = {"Connection", "Request", "CLIENT", "LocalProtocolError"}


def test_private_import_becomes_public_import() -> None:
    source = "from .._connection import Connection, _keep_alive\n"
    result = rewrite(source, PUBLIC)
    assert "from h11 import Connection" in result.source
    assert "_connection" not in result.source
    assert "_keep_alive" not in result.source


def test_absolute_private_import_is_rewritten_too() -> None:
    result = rewrite("from h11._events import Request\n", PUBLIC)
    assert "from h11 import Request" in result.source


def test_a_test_needing_a_private_name_is_left_out_and_named() -> None:
    source = (
        "from .._connection import Connection, _keep_alive\n"
        "def test_public():\n    Connection\n"
        "def test_private():\n    _keep_alive(1)\n"
    )
    result = rewrite(source, PUBLIC)
    assert result.tests == ["test_public"]
    assert result.left_out_tests == ["test_private"]
    assert result.left_out == {"test_private": ["_keep_alive"]}
    assert "def test_private" not in result.source


def test_taint_follows_module_level_helpers_and_constants() -> None:
    source = (
        "from .._readers import READERS\n"
        "TABLE = [READERS]\n"
        "def helper():\n    return TABLE\n"
        "def test_uses_helper():\n    helper()\n"
        "def test_clean():\n    pass\n"
    )
    result = rewrite(source, PUBLIC)
    assert result.left_out_tests == ["test_uses_helper"]
    assert set(result.left_out) == {"TABLE", "helper", "test_uses_helper"}
    assert result.left_out["test_uses_helper"] == ["READERS"]


def test_annotation_only_use_keeps_the_test() -> None:
    source = (
        "from .._util import Sentinel\n"
        "def test_annotated(role: Sentinel) -> Sentinel:\n    x: Sentinel = 1\n"
    )
    result = rewrite(source, PUBLIC)
    assert result.tests == ["test_annotated"]
    assert result.source.startswith("from __future__ import annotations\n")
    ast.parse(result.source)


def test_private_attribute_access_leaves_the_test_out() -> None:
    source = "def test_peek(c):\n    c._cstate\ndef test_dunder(c):\n    c.__class__\n"
    result = rewrite(source, PUBLIC)
    assert result.left_out_tests == ["test_peek"]
    assert result.tests == ["test_dunder"]


def test_helper_left_out_taints_its_importers() -> None:
    modules = {
        "helpers": (
            "from .._util import bytesify\n"
            "def conv(x):\n    return bytesify(x)\n"
            "def ok():\n    pass\n"
        ),
        "test_a": (
            "from .helpers import conv, ok\n"
            "def test_conv():\n    conv(1)\n"
            "def test_ok():\n    ok()\n"
        ),
    }
    out = rewrite_package(modules, PUBLIC)
    assert out["test_a"].left_out_tests == ["test_conv"]
    assert out["test_a"].tests == ["test_ok"]
    assert "conv" not in out["test_a"].source


def test_test_classes_are_counted_per_method() -> None:
    source = (
        "from .._x import _y\n"
        "class TestX:\n"
        "    def test_a(self):\n        _y\n"
        "    def test_b(self):\n        pass\n"
    )
    result = rewrite(source, PUBLIC)
    assert result.left_out_tests == ["TestX::test_a", "TestX::test_b"]


def test_reference_must_pass_everything() -> None:
    assert check_reference({"m.py::t": ("passed", "")}, 1) == []
    assert check_reference({"m.py::t": ("failed", "x")}, 1)
    assert check_reference({"m.py::t[1]": ("passed", ""), "m.py::t[2]": ("passed", "")}, 2)


def test_candidate_verdict() -> None:
    listed = {test: ("failed", f"E {e.match}") for test, e in EXPECTED_FAILURES.items()}
    first = next(iter(EXPECTED_FAILURES))
    assert check_candidate({**listed, "m.py::t": ("passed", "")}) == []
    # a failure not listed
    assert check_candidate({**listed, "m.py::u": ("failed", "boom")})
    # a listed test failing for another reason
    assert check_candidate({**listed, first: ("failed", "something else")})
    # a listed test that passes, or is gone: stale
    assert any("stale" in p for p in check_candidate({**listed, first: ("passed", "")}))
    del listed[first]
    assert any("stale" in p for p in check_candidate(listed))
    # a skip hides a check
    assert check_candidate({**listed, "m.py::s": ("skipped", "")})
