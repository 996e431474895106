"""Shared configuration of the h11-parser tests: hypothesis profiles.

``HYPOTHESIS_PROFILE=ci`` (what nox sets) gives more examples, no deadline (CI
machines are slow) and printed reproducers; "dev" (the default) fewer examples.
Neither has a deadline: timings never decide whether a test passes.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", deadline=None, max_examples=200, print_blob=True)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
