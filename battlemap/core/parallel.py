"""The other cores for the CPU-bound part of a bulk path (reading and encrypting ID numbers).

Python runs one thread at a time, and while it reads and encrypts a million ID numbers the
database waits. `split_map` cuts a list into one part per core and runs a function on each
part at once: the first part here, the others in forked processes, which see the list
without copying it and send back their results pickled. A fork is only safe in a process
with a single thread (another thread may hold a lock the child would wait on forever), so
with more threads, on a single core, for a short list, or where fork does not exist, the
function simply runs on the whole list here.
"""

import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a fork (a few ms, more with a large heap) costs more than it saves.
MIN_ITEMS = 50_000


class ChildFailed(RuntimeError):
    """A forked part failed; the message carries its error."""


def workers() -> int:
    """How many parts split_map cuts a list into here (1: no fork)."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), 4))


def split_map(
    fn: Callable[[list[T]], R], items: list[T], *, min_items: int | None = None
) -> list[R]:
    """[fn(part) for part in parts of `items`], the parts consecutive and computed at once.

    `fn` must depend on nothing but its part (it runs in another process for all but the
    first) and return something picklable. The caller joins the results; the positions of
    part k start at the sum of the lengths of the parts before it.
    """
    n = workers() if len(items) >= (MIN_ITEMS if min_items is None else min_items) else 1
    if n == 1:
        return [fn(items)]
    size = -(-len(items) // n)
    parts = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    children = []
    for part in parts[1:]:
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=_run, args=(fn, part, writer), daemon=True)
        child.start()
        writer.close()
        children.append((child, reader))
    try:
        results = [fn(parts[0])]
        for child, reader in children:
            try:
                ok, value = reader.recv()
            except EOFError:
                ok, value = False, f"exit code {child.exitcode}"
            if not ok:
                raise ChildFailed(value)
            results.append(value)
    finally:
        for child, reader in children:
            reader.close()
            child.join(timeout=5)
            if child.is_alive():
                child.kill()
    return results


def _run(fn, part, writer) -> None:
    # The child ends with os._exit (multiprocessing's fork), so the parent's database
    # connection, which the child shares, is never closed or used from here.
    try:
        result = (True, fn(part))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        result = (False, f"{type(exc).__name__}: {exc}")
    writer.send(result)
    writer.close()
