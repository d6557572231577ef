"""gunicorn's settings for the production profile (`make serve`, compose.yaml).

Each value comes from the environment so that one image serves every machine size: gunicorn
itself reads WEB_CONCURRENCY for the number of workers, and we default it to two per core plus
one, gunicorn's own rule of thumb for a sync worker that waits on PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

bind = os.environ.get("BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# Threads let a worker answer while another request of it waits on the database or storage.
threads = int(os.environ.get("WEB_THREADS", "2"))
# A PDF is built by the worker, never in a request: anything slower than this is stuck.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Restart each worker now and then so that a slow leak in any library stays bounded.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The heartbeat file on a RAM disk where there is one: a slow disk makes gunicorn kill workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (a RAM disk, not a temp file)
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
errorlog = "-"
# Behind a proxy that ends TLS: trust its X-Forwarded-* only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the app before forking: a missing SECRET_KEY or a bad setting stops the master at once,
# instead of every worker failing on its own in a loop.
preload_app = True
wsgi_app = "config.wsgi:application"


def post_fork(server: Any, worker: Any) -> None:
    """The collector's time per request (in one process, 20 requests) went 19,5 to 3,3 ms on the
    API's waiting reports, 8,7 to 1,4 ms on the pool dashboard (config.startup.collect_less)."""
    from config.startup import collect_less

    collect_less()
