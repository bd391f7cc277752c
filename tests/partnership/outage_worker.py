"""The Celery app of the broker-outage test's worker process: the portal's app and one slow task.

Run as `celery -A tests.partnership.outage_worker worker`; the quick task is the portal's own
`partnership.tasks.touch_file`.
"""

import time
from pathlib import Path

from partnership.celery import app

__all__ = ["app", "slow_touch"]


@app.task(name="tests.outage.slow_touch", ignore_result=True)
def slow_touch(path: str, seconds: float):
    """Say it started, run for a while, then write `path`."""
    Path(f"{path}.started").write_text("started")
    time.sleep(seconds)
    Path(path).write_text("done")
