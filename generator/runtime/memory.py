"""The garbage-collector protocol of the engines: pause, freeze, hand back.

A checked playbook is hundreds of thousands of small objects that live as long as the
command or the build. Python's cyclic collector would scan them again and again while
they are made, and again at every collection afterwards, for nothing: reference counting
frees them as usual. So the engines (the CLI, the plugin, the preview server) pause the
collector while a playbook is checked, freeze what survives out of its way, and hand it
back when the build or the state ends. bench/RESULTS.md holds what the check costs with
this protocol; CONTRIBUTING.md says what it is worth.

Only the engines call these: `check.check()` is a plain function, so a library caller
or a test keeps the collector as it found it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def hold() -> Iterator[None]:
    """Pause the collector for the block (a check), then freeze its survivors rather than
    have the resuming collector scan them all at once. They stay frozen until `release`;
    a collector that was off stays off, and nothing is frozen then."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def release() -> None:
    """Hand every frozen object back to the collector: the build or state that held them
    is over, and what it left may be garbage now."""
    gc.unfreeze()


def collect() -> None:
    """Free the last build's garbage before the next check, which would freeze it."""
    gc.collect()


def collect_and_hold() -> None:
    """Free the garbage of replaced states, then freeze the survivors, so that collections
    set off later do not scan the current state again (the preview server, when idle)."""
    gc.collect()
    gc.freeze()


def child() -> None:
    """A short-lived child process: no collection at all, freeing at exit is the OS's job."""
    gc.disable()
