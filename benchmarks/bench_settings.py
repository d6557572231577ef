"""The production settings with one addition for `make bench` (benchmarks/scale.py): the bare
view that serves stored bytes, which each endpoint's time is measured against."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
