"""Stopping a server process a test started: SIGTERM, then SIGKILL if it does not exit."""

import os
import signal
import subprocess


def stop(process: subprocess.Popen, group: bool = False) -> None:
    """Stop `process` (its whole process group when `group`) and wait for it."""
    kill = os.killpg if group else os.kill
    kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
