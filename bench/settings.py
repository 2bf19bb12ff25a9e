"""Settings for the benchmark: the shipped base settings, with static files in bench/.work.

The benchmark needs DEBUG off (config.settings.dev forces it on) and therefore collected
static files with a manifest, but base settings fix STATIC_ROOT to the repository's
staticfiles/ folder. This module changes only that; everything else comes from the
environment that bench/environment.py sets up.
"""

import os

from config.settings.base import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
