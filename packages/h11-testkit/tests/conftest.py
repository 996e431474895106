"""Shared test setup: pytester for the plugin tests, and hypothesis profiles.

Hypothesis deadlines are off in every profile: timings never decide pass or fail.
"""

import os

from hypothesis import settings

pytest_plugins = ["pytester"]

settings.register_profile("default", deadline=None, max_examples=50)
settings.register_profile("ci", deadline=None, max_examples=100)
settings.register_profile("dev", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
