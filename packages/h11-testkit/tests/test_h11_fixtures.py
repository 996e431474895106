"""The root conftest's ``pypi_h11`` / ``our_h11``: which ``h11`` a test needs.

They skip, with the reason, when ``import h11`` gives the other one, and fail instead
where nox requires that ``h11`` (``H11_TESTS_REQUIRE_H11``). Each run here gets a stand-in
``h11`` module first on its path and a copy of the root conftest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT_CONFTEST = Path(__file__).resolve().parents[3] / "conftest.py"
REQUIRE = "H11_TESTS_REQUIRE_H11"
PYPI = "python-h11/0.16.0"
OURS = "python-h11-connection/0.1.0"

USES = """
def test_needs_pypi(pypi_h11):
    assert pypi_h11.PRODUCT_ID.startswith("python-h11/")

def test_needs_ours(our_h11):
    assert our_h11.PRODUCT_ID.startswith("python-h11-connection/")
"""


def _run(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    h11_source: str,
    require: str | None = None,
) -> pytest.RunResult:
    if require is None:
        monkeypatch.delenv(REQUIRE, raising=False)
    else:
        monkeypatch.setenv(REQUIRE, require)
    pytester.makeconftest(ROOT_CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(h11=h11_source, test_uses=USES)
    return pytester.runpytest_subprocess("-v", "-rs", "-p", "no:cacheprovider", timeout=120)


@pytest.mark.parametrize(
    ("product", "runs", "skips", "needed"),
    [
        (PYPI, "test_needs_pypi", "test_needs_ours", "this project's h11 facade"),
        (OURS, "test_needs_ours", "test_needs_pypi", "PyPI's h11 0.16"),
    ],
    ids=["pypi", "ours"],
)
def test_the_other_h11_skips_with_the_reason(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    product: str,
    runs: str,
    skips: str,
    needed: str,
) -> None:
    result = _run(pytester, monkeypatch, f"PRODUCT_ID = {product!r}\n")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines([f"*::{runs} PASSED*"])
    result.stdout.fnmatch_lines([f"*::{skips} SKIPPED*"])
    result.stdout.fnmatch_lines(
        [f"SKIPPED*needs {needed} as `h11`; this venv's `import h11` gives {product}"]
    )


@pytest.mark.parametrize(
    ("product", "require", "failing"),
    [(PYPI, "ours", "test_needs_ours"), (OURS, "pypi", "test_needs_pypi")],
    ids=["ours-required", "pypi-required"],
)
def test_a_required_h11_fails_instead_of_skipping(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    product: str,
    require: str,
    failing: str,
) -> None:
    result = _run(pytester, monkeypatch, f"PRODUCT_ID = {product!r}\n", require)
    result.assert_outcomes(passed=1, errors=1)
    reason = f"*`import h11` gives {product}, and {REQUIRE}={require}"
    result.stdout.fnmatch_lines([f"*ERROR at setup of {failing}*", reason])


def test_no_h11_skips(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(pytester, monkeypatch, "raise ModuleNotFoundError('no h11', name='h11')\n")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["*SKIPPED*`import h11` gives no h11*"])


def test_an_h11_that_fails_to_import_is_an_error_not_a_skip(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(pytester, monkeypatch, "import h11_no_such_module\n")
    result.assert_outcomes(errors=2)
    assert "No module named 'h11_no_such_module'" in result.stdout.str()


def test_an_unknown_requirement_is_a_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(pytester, monkeypatch, f"PRODUCT_ID = {PYPI!r}\n", "yes")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert f"{REQUIRE}='yes': expected one of ['pypi', 'ours']" in result.stderr.str()
