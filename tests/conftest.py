"""Test-run settings.

On CI (`CI=true`, as `.ci/run` is run) Hypothesis draws the same examples every time
(`derandomize`), so a gate on a clean machine gives the same answer for the same commit.
Local runs stay random and keep looking for new counterexamples; a failure they find is
replayed from Hypothesis' example database and should become an explicit test case.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")
