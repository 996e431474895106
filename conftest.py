"""Test setup shared by every suite of the monorepo, loaded by any pytest run in it.

``pytest`` at the root runs all the suites (see ``testpaths`` in pyproject.toml); nox
runs each package's suite on its own, and this file applies there too.

The one set of hypothesis profiles: ``ci`` (what nox sets on the reference Python: more
examples, printed reproducers), ``ci-other`` (nox on the other Pythons: fewer examples)
and ``dev`` (the default: quicker). Neither has a deadline: timings never
decide whether a test passes on a shared, slow machine.

The testkit's two implementation-agnostic modules, ``corpus`` (the attack corpus) and
``event_lists`` (``drain``, ``merge_data``), import only the standard library. Suites
that must run without the testkit installed import them from the source tree as top-level
modules: the parser's (``nox -s isolation`` has only h11-events and h11-parser) and the
facade's (black-box tests, also run against PyPI h11). ``h11_testkit`` itself stays
unimportable where it is not installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TESTKIT_MODULES = (
    Path(__file__).resolve().parent / "packages" / "h11-testkit" / "src" / "h11_testkit"
)
sys.path.append(str(TESTKIT_MODULES))

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
