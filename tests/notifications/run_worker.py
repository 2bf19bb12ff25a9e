"""``python -m tests.notifications.run_worker worker ...``: ``celery -A config`` for this checkout.

The virtualenv may carry an editable install of another checkout of the project, whose
import finder would answer for modules this checkout does not have (Celery's task
autodiscovery asks for ``<app>.jobs`` of every app). Only this checkout may be imported.
"""

import sys

from celery.__main__ import main

if __name__ == "__main__":
    sys.meta_path[:] = [
        finder
        for finder in sys.meta_path
        if "__editable__" not in getattr(finder, "__module__", "")
    ]
    sys.argv = ["celery", "-A", "config", *sys.argv[1:]]
    sys.exit(main())
