"""Tell derived data that records of some regions changed.

Domain apps call `regions_changed` at the end of a write, inside its transaction, with the
codes of the regions the changed records sit in — villages mostly, a township or a county
for records kept at that level;
apps that keep derived figures (the battle map's rollups) register a listener in their
AppConfig.ready(). Domain apps thus never import the apps that read them, and the
derived figures commit or roll back together with the write. A service made of other
services wraps them in `batched()` so each village is refreshed once.
"""

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

_listeners: list[Callable[[set[str]], None]] = []
_local = threading.local()


def on_regions_changed(listener: Callable[[set[str]], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def regions_changed(codes: Iterable[str]) -> None:
    """Call every listener with the set of changed region codes (12 digits, any level)."""
    changed = {code for code in codes if code}
    if not changed:
        return
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending |= changed
        return
    for listener in _listeners:
        listener(changed)


@contextmanager
def batched():
    """Collect the changes of the enclosed writes and report them once, at the end."""
    if getattr(_local, "pending", None) is not None:
        yield  # an outer batch reports them
        return
    _local.pending = set()
    try:
        yield
        changed = _local.pending
    finally:
        _local.pending = None
    regions_changed(changed)
