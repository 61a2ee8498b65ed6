"""Scenarios for the forked helper, each run in a fresh interpreter by test_parallel.py:
the helper forks only while one thread runs, and a pytest process may host others
(Playwright's, a served site's), so the scenarios cannot run inside it."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable

from generator.runtime.parallel import Prerender, can_fork, split_map

PARENT = os.getpid()


def square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def die_in_child(n: int) -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    return n + 1


def raise_in_child(n: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("the child's own problem")
    return n + 1


def makers(count: int) -> dict[str, Callable[[], tuple[str, int]]]:
    return {f"page-{n}.md": (lambda n=n: (f"# Page {n}\n", os.getpid())) for n in range(count)}


def slow_square_with_pid(n: int) -> tuple[int, int]:
    time.sleep(0.002)
    return n * n, os.getpid()


def split_at_forty_percent() -> None:
    results = split_map(slow_square_with_pid, range(400))
    assert [value for value, _ in results] == [n * n for n in range(400)]
    pids = [pid for _, pid in results]
    assert set(pids[:160]) == {PARENT}, "we keep the first 40%"
    child = pids.index(next(pid for pid in pids if pid != PARENT))
    assert set(pids[:child]) == {PARENT} and len(set(pids[child:])) == 1, "we meet once"
    assert child < 400 - 50, "the child did at least a batch"


def slow_in_child(n: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        time.sleep(0.05)  # a child on a CPU that something else keeps busy
    return n * n, os.getpid()


def split_child_slow() -> None:
    began = time.perf_counter()
    results = split_map(slow_in_child, range(400))
    assert [value for value, _ in results] == [n * n for n in range(400)]
    assert time.perf_counter() - began < 2.5, "we did not wait for the child's 12 s"
    assert [pid for _, pid in results][:350] == [PARENT] * 350, "we took over its share"


def split_small() -> None:
    assert {pid for _, pid in split_map(square_with_pid, range(100))} == {PARENT}


def split_disabled() -> None:
    os.environ["PLAYBOOK_NO_FORK"] = "1"
    assert not can_fork()
    assert {pid for _, pid in split_map(square_with_pid, range(400))} == {PARENT}


def split_child_dies() -> None:
    assert split_map(die_in_child, range(300)) == [n + 1 for n in range(300)]


def split_child_raises() -> None:
    assert split_map(raise_in_child, range(300)) == [n + 1 for n in range(300)]


def raise_in_parent(n: int) -> int:
    if os.getpid() == PARENT and n == 5:
        raise MemoryError("the parent's own problem")
    return n + 1


def split_parent_raises() -> None:
    import multiprocessing

    try:
        split_map(raise_in_parent, range(400))
    except MemoryError:
        pass
    else:
        raise AssertionError("the parent's error reaches the caller")
    assert multiprocessing.active_children() == [], "the child was stopped and reaped"


def split_on_one_cpu() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # as under `taskset -c 0`
    assert not can_fork()
    assert {pid for _, pid in split_map(square_with_pid, range(400))} == {PARENT}


def split_with_threads() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        assert {pid for _, pid in split_map(square_with_pid, range(400))} == {PARENT}
    finally:
        stop.set()
        thread.join()


def prerender_hands_over() -> None:
    files = makers(300)
    prerender = Prerender(files)
    try:
        time.sleep(0.5)  # the child makes all 300 in well under this
        got = {path: prerender.get(path) for path in files}
    finally:
        prerender.close()
    assert [text for text, _ in got.values()] == [f"# Page {n}\n" for n in range(300)]
    assert {pid for _, pid in got.values()} - {PARENT}, "some pages came from the child"
    assert prerender.ahead == sum(pid != PARENT for _, pid in got.values())


def prerender_child_gone() -> None:
    files = makers(300)
    prerender = Prerender(files)
    prerender.close()  # the child is stopped before it hands anything over
    got = [prerender.get(path) for path in files]
    assert [text for text, _ in got] == [f"# Page {n}\n" for n in range(300)]
    assert {pid for _, pid in got} == {PARENT} and prerender.ahead == 0


def prerender_small_site() -> None:
    assert Prerender(makers(10))._child is None
    assert Prerender({})._child is None


if __name__ == "__main__":
    assert threading.active_count() == 1 and can_fork(), "needs Linux and two CPUs"
    globals()[sys.argv[1]]()
    print("ok")
