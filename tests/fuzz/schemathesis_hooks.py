"""Loaded by schemathesis before it generates anything (`SCHEMATHESIS_HOOKS`, set by
schemathesis_run.py).

Hypothesis describes a strategy's lambdas by parsing their source with `ast.parse`, and schemathesis
generates with two threads (`--workers 2`). CPython before 3.11.8 and 3.12.2 keeps the parser's
recursion depth in shared state (CPython gh-106905), so two threads parsing at once fail with
"SystemError: AST constructor recursion depth mismatch": schemathesis reported it as a "Runtime
Error" of whichever operation drew its first request body then, and that operation went untested.
One parse at a time on those versions; Hypothesis caches what it parsed, so this costs nothing after
the first draws.
"""

from __future__ import annotations

import ast
import sys
import threading
from typing import Any

if sys.version_info < (3, 11, 8) or (3, 12) <= sys.version_info < (3, 12, 2):
    _parse = ast.parse
    _one_at_a_time = threading.Lock()

    def _parse_alone(*args: Any, **kwargs: Any) -> ast.AST:
        with _one_at_a_time:
            return _parse(*args, **kwargs)

    ast.parse = _parse_alone  # type: ignore[assignment]
