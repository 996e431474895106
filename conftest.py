"""Test setup shared by every suite of the monorepo, loaded by any pytest run in it.

``pytest`` at the root runs all the suites (see ``testpaths`` in pyproject.toml); nox
runs each package's suite on its own, and this file applies there too.

The one set of hypothesis profiles: ``ci`` (what nox sets on the reference Python: more
examples, printed reproducers), ``ci-other`` (nox on the other Pythons: fewer examples)
and ``dev`` (the default: quicker). Neither has a deadline: timings never
decide whether a test passes on a shared, slow machine.

The testkit's implementation-agnostic modules (``SHARED_MODULES``: the attack corpus,
``drain``/``merge_data``, the cost-growth check) import only the standard library. The
parser's and the Connection's suites import them as top-level modules, so they run
without the testkit installed (``nox -s isolation``; the Connection's tests against PyPI
h11). Where ``h11_testkit`` is importable, those names are its modules (one object each,
one copy of every class and table); elsewhere they come from the source tree's folder,
and ``h11_testkit`` itself stays unimportable.

Which ``h11`` a venv imports decides what some suites can check: the testkit's
comparisons with h11 0.16 need PyPI's (fixture ``pypi_h11``), the facade's suite needs
this project's (``our_h11``). Each skips, saying why, where ``import h11`` gives the other
one (or none). nox sets ``H11_TESTS_REQUIRE_H11`` (``pypi`` or ``ours``) where its venv
holds that ``h11``: there the fixture fails instead of skipping.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

TESTKIT_MODULES = (
    Path(__file__).resolve().parent / "packages" / "h11-testkit" / "src" / "h11_testkit"
)
#: The testkit's modules the other suites import by their own names.
SHARED_MODULES = ("corpus", "event_lists", "cost")
if importlib.util.find_spec("h11_testkit") is None:
    sys.path.append(str(TESTKIT_MODULES))
else:
    for name in SHARED_MODULES:
        sys.modules[name] = importlib.import_module(f"h11_testkit.{name}")

# The testkit's plugin tests run pytest inside pytest.
pytest_plugins = ["pytester"]

try:
    from hypothesis import settings
except ImportError:  # the interop checks run with pytest alone
    pass
else:
    settings.register_profile("ci", deadline=None, max_examples=200, print_blob=True)
    settings.register_profile("dev", deadline=None, max_examples=100)
    # nox's run on the interpreters other than the reference one (which runs "ci").
    settings.register_profile("ci-other", deadline=None, max_examples=25, print_blob=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: Set by nox to the ``h11`` its venv holds: a test needing that one must not skip.
REQUIRE_H11 = "H11_TESTS_REQUIRE_H11"
#: Each ``h11`` a test can need: the start of its ``PRODUCT_ID``, and how to name it.
H11_SIDES = {
    "pypi": ("python-h11/", "PyPI's h11 0.16"),
    "ours": ("python-h11-connection/", "this project's h11 facade"),
}


def pytest_configure(config: pytest.Config) -> None:
    required = os.environ.get(REQUIRE_H11)
    if required is not None and required not in H11_SIDES:
        raise pytest.UsageError(f"{REQUIRE_H11}={required!r}: expected one of {list(H11_SIDES)}")


def _h11_or_skip(side: str) -> ModuleType:
    """``import h11`` if it gives ``side``; else skip, or fail where nox requires it."""
    try:
        module: ModuleType | None = importlib.import_module("h11")
    except ModuleNotFoundError as error:
        if error.name != "h11":
            raise
        module = None
    prefix, name = H11_SIDES[side]
    product = "no h11" if module is None else str(getattr(module, "PRODUCT_ID", module))
    if module is not None and product.startswith(prefix):
        return module
    reason = f"needs {name} as `h11`; this venv's `import h11` gives {product}"
    if os.environ.get(REQUIRE_H11) == side:
        pytest.fail(f"{reason}, and {REQUIRE_H11}={side}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def pypi_h11() -> ModuleType:
    """PyPI's h11 0.16 (the reference the testkit's corpus flags are checked against)."""
    return _h11_or_skip("pypi")


@pytest.fixture
def our_h11() -> ModuleType:
    """This project's ``h11`` facade, as ``import h11`` gives it."""
    return _h11_or_skip("ours")
