"""Use the second core: a forked child does part of the work while we do the rest.

MkDocs builds on one core, and so did we; on a machine with two or more cores (CI
runners and laptops are), the others sat idle. Two pieces of our work split cleanly:
parsing the YAML files (`split_map`: the child parses from the last file backwards
while we parse from the first, until we meet) and rendering pages (`Prerender`: the
child renders every file while MkDocs converts the first pages to HTML, and we take
its results as they arrive).

The child is a fork, so it starts in milliseconds and inherits the checked
playbook without copying or pickling it; only results travel back, through a
pipe. Fork is used only where it is safe and useful: on Linux, with more than one
CPU, and while this process runs a single thread (forking a threaded process can
deadlock, so `mkdocs serve`'s rebuilds, which run beside its server threads, do
all the work in-process). Whatever the child does not deliver, because it was not
started, failed or was too slow, we compute ourselves: the result is the same
either way, only the time differs. PLAYBOOK_NO_FORK=1 turns the child off.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from . import memory

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
R = TypeVar("R")

CHUNK_SECONDS = 0.05
"""How often the prerendering child hands over what it has made so far."""


def can_fork() -> bool:
    """True where a forked helper is safe and can run beside us on another CPU."""
    return (sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1  # CPUs we may use
            and threading.active_count() == 1 and not os.environ.get("PLAYBOOK_NO_FORK"))


class Child:
    """A forked process that sends the messages `work()` yields, then closes the pipe."""

    def __init__(self, work: Callable[[], Iterator[Any]]) -> None:
        import multiprocessing  # here, not at the top: a check read from the cache forks nothing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, send), daemon=True)
        try:
            self._process.start()
        finally:
            send.close()  # ours is the child's copy; closing it lets recv() see the end
        self.done = False

    def messages(self, *, wait: bool) -> Iterator[Any]:
        """The messages that have arrived (all of them, to the end, with `wait`)."""
        while not self.done and (wait or self._receive.poll()):
            try:
                yield self._receive.recv()
            except (EOFError, OSError):
                self.close()

    def close(self) -> None:
        """Stop the child if it still runs and reap it."""
        if self.done:
            return
        self.done = True
        self._receive.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _run(work: Callable[[], Iterator[Any]], send: Connection) -> None:
    memory.child()
    try:
        for message in work():
            send.send(message)
    except BaseException:  # the parent redoes what is missing, and
        pass  # reports any real error itself; a child's traceback would only confuse
    finally:
        send.close()


def start(work: Callable[[], Iterator[Any]]) -> Child | None:
    """A child doing `work`, or None where forking is unsafe or fails."""
    if not can_fork():
        return None
    try:
        return Child(work)
    except (OSError, AssertionError):  # out of processes, or we are a daemon ourselves
        return None


def split_map(function: Callable[[T], R], items: Sequence[T], *, keep: float = 0.4,
              minimum: int = 200) -> list[R]:
    """[function(item) for item in items], the last part computed in a child.

    We take the first `keep` of the items: less than half, because taking in the
    child's results is work too (40% was the fastest split for loading a playbook).
    The child works from the last item backwards, in batches that we take in between
    our own items, so that it never holds more than a batch and the pipe never makes it
    wait. Once our share is done we go on with the child's lowest items that have not
    arrived, until we meet what it sent: when the other CPU is busy (another build, a
    test run) the child falls behind, and waiting for it would make us slower than
    doing everything here.
    Below `minimum` items the fork and the pickling back cost more than they save.
    Results must pickle; `function` must not depend on state the parent changes
    meanwhile (it runs on a snapshot of this process).
    """
    split = int(len(items) * keep)
    child = (start(lambda: _batches_from_the_end(function, items, split))
             if len(items) >= minimum else None)
    if child is None:
        return [function(item) for item in items]
    mine: list[R] = []
    theirs: list[R] = []  # the child's results, for the items from len(items) - len(theirs)
    try:
        while len(mine) < len(items) - len(theirs):
            for batch in child.messages(wait=False):
                theirs[:0] = batch
            if len(mine) < len(items) - len(theirs):
                mine.append(function(items[len(mine)]))
    finally:
        child.close()  # also when our share raised: no child is left waiting on its pipe
    # A batch that arrived while we computed its first items overlaps ours: ours count.
    return mine + theirs[len(mine) - (len(items) - len(theirs)):]


def _batches_from_the_end(function: Callable[[T], R], items: Sequence[T], stop: int,
                          size: int = 50) -> Iterator[list[R]]:
    """The results of items[stop:], a batch at a time, the last batch first."""
    for end in range(len(items), stop, -size):
        yield [function(item) for item in items[max(stop, end - size):end]]


class Prerender:
    """Files made ahead by a child, with each file's own maker as the fallback."""

    def __init__(self, makers: dict[str, Callable[[], Any]], *, order: list[str] | None = None,
                 minimum: int = 100, ahead: bool = True) -> None:
        """`order`: the paths in the order the child should make them (all, by default);
        without `ahead` no child is started and each file is made when it is asked for."""
        self._makers = makers
        self._ready: dict[str, Any] = {}
        todo = {path: makers[path] for path in (order if order is not None else makers)}
        wanted = ahead and len(makers) >= minimum
        self._child = start(lambda: _chunks(todo)) if wanted else None
        self.ahead = 0
        """How many files came from the child (the rest were made here)."""

    def get(self, path: str) -> Any:
        """The file at `path`: from the child if it has sent it, otherwise made here."""
        if self._child is not None:
            for chunk in self._child.messages(wait=False):
                self._ready.update(chunk)
        if path in self._ready:
            self.ahead += 1
            return self._ready.pop(path)
        return self._makers[path]()

    def close(self) -> None:
        if self._child is not None:
            self._child.close()
        self._ready.clear()


def _chunks(makers: dict[str, Callable[[], Any]]) -> Iterator[dict[str, Any]]:
    chunk: dict[str, Any] = {}
    sent = time.perf_counter()
    for path, make in makers.items():
        chunk[path] = make()
        if time.perf_counter() - sent > CHUNK_SECONDS:
            yield chunk
            chunk, sent = {}, time.perf_counter()
    if chunk:
        yield chunk
