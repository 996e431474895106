"""Test setup shared by every suite of the monorepo, loaded by any pytest run in it.

``pytest`` at the root runs all the suites (see ``testpaths`` in pyproject.toml); nox
runs each package's suite on its own, and this file applies there too.

The one set of hypothesis profiles: ``ci`` (what nox sets: more examples, printed
reproducers) and ``dev`` (the default: quicker). Neither has a deadline: timings never
decide whether a test passes on a shared, slow machine.
"""

from __future__ import annotations

import os

# The testkit's plugin tests run pytest inside pytest.
pytest_plugins = ["pytester"]

try:
    from hypothesis import settings
except ImportError:  # the interop checks run with pytest alone
    pass
else:
    settings.register_profile("ci", deadline=None, max_examples=200, print_blob=True)
    settings.register_profile("dev", deadline=None, max_examples=100)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
