"""Machine facts printed by every benchmark: Python, cores, and how busy the machine was.

The load average (processes running or waiting for a core, averaged over one minute) is
printed before and after each benchmark: above the number of cores, other processes were
competing for the CPU and wall times are inflated; CPU-time figures are much less affected.
"""

from __future__ import annotations

import os
import platform

__all__ = ["describe", "load"]


def load() -> str:
    """The 1-minute load average, or "n/a" where the platform has none."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except (AttributeError, OSError):
        return "n/a"


def describe() -> str:
    """One line: Python version, OS, processor count and the current load average."""
    return (
        f"Python {platform.python_version()} ({platform.python_implementation()}) on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load()}"
    )
