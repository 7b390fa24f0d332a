"""split_map: parts computed in forked processes give what one pass gives."""

import threading

import pytest
from django.db import connection

from battlemap.core import crypto, parallel
from battlemap.core.parallel import ChildFailed, split_map
from battlemap.registry import bulk
from tests.factories import id_number

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(parallel.workers() < 2, reason="one core, or threads: no fork here"),
]


def _pids(part):
    import os

    return [(os.getpid(), x * 2) for x in part]


def test_parts_run_in_other_processes_and_join_in_order():
    import os

    parts = split_map(_pids, list(range(1000)), min_items=1)
    assert len(parts) == parallel.workers()
    assert [x for part in parts for _pid, x in part] == [x * 2 for x in range(1000)]
    assert parts[0][0][0] == os.getpid()
    assert {pid for part in parts[1:] for pid, _x in part}.isdisjoint({os.getpid()})
    # The child shared the database connection and left it alone.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_short_lists_stay_here():
    assert split_map(_pids, [1, 2, 3]) == [_pids([1, 2, 3])]


def _fail_in_child(part):
    if part[0] != 0:
        raise ValueError(f"bad part starting at {part[0]}")
    return part


def test_a_failing_part_is_raised_with_its_error():
    with pytest.raises(ChildFailed, match="ValueError: bad part starting at"):
        split_map(_fail_in_child, list(range(100)), min_items=1)


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel.workers() == 1
    finally:
        stop.set()
        other.join()


def test_ids_read_and_encrypted_in_parts_as_in_one(monkeypatch):
    class P:
        def __init__(self, number):
            self.id_number = number

    persons = [P(id_number(i)) for i in range(40)]
    persons[3].id_number = "123"  # refused in the first part
    good = persons[37].id_number
    persons[37].id_number = good[:17] + ("1" if good[17] != "1" else "2")  # in the last part
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    ids, blobs, indexes = bulk._read_and_encrypt(persons)
    one = bulk._read_ids(persons)
    assert ids == one
    assert [p.index for p in ids.problems if p] == [3, 37]
    assert indexes == crypto.blind_indexes(one.clear)
    assert [crypto.decrypt(b) for b in blobs] == one.clear
