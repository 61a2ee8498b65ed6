"""The garbage-collector protocol (memory.py): the engines get it, library callers do not."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from conftest import EXAMPLE

from generator.checking.pipeline import check
from generator.runtime import memory


@pytest.fixture
def collector() -> Iterator[None]:
    """Start from a collector that runs and holds nothing frozen, and leave it so."""
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


@pytest.mark.usefixtures("collector")
def test_check_leaves_the_collector_as_it_found_it() -> None:
    result = check(EXAMPLE)
    assert result.playbook is not None and not result.errors
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


@pytest.mark.usefixtures("collector")
def test_hold_pauses_then_freezes_until_release() -> None:
    with memory.hold():
        assert not gc.isenabled()
        result = check(EXAMPLE)
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    assert result.playbook is not None
    memory.release()
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector")
def test_hold_keeps_a_paused_collector_paused() -> None:
    gc.disable()
    with memory.hold():
        pass
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
