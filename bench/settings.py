"""The production settings, plus the bare view `make bench` measures the others against."""

from jobboard.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
