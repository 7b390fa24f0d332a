"""Set-based writes: COPY on PostgreSQL, one executemany on SQLite.

The ORM's bulk_create is 20–40× slower than these raw paths (TOOLCHAIN.md), and
the registry's bulk paths (demo, import) write up to millions of rows. Callers
validate first and write audit records themselves; this only moves rows.
bench/bulk_registry.py measures the whole path against a raw insert.
"""

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, transaction


def bulk_insert(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (tuples in the order of `fields`) into `model`'s table; returns the count.

    Values go to the driver as they are: dates included (on SQLite Django's adapter writes
    them as the ISO text the ORM reads back). Errors are raised as Django's, so callers can
    catch IntegrityError.
    """
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_sql = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # the driver's cursor: no per-row query formatting
        if connection.vendor == "postgresql":
            with raw.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:  # noqa: S608
                write = copy.write_row
                for row in rows:
                    write(row)
        else:
            placeholders = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})"  # noqa: S608
            with _sqlite_cache(raw.connection, SQLITE_BULK_CACHE_KIB):
                # The sqlite3 method itself: Django's wrapper tees the rows to peek at the
                # first one, which keeps every row alive until the end.
                sqlite3.Cursor.executemany(raw, sql, rows)
        return max(raw.rowcount, 0)


# SQLite's page cache for a bulk write, in KiB. The default 2 MiB holds a sliver of a
# million-entry index, and random keys (the ID blind index) then miss on every row:
# 256 MiB makes the demo's persons about a quarter faster. Memory and speed only; the
# journal and synchronous settings stay as settings.py has them.
SQLITE_BULK_CACHE_KIB = 256 * 1024


@contextmanager
def sqlite_page_cache(kib: int) -> Iterator[None]:
    """SQLite's page cache raised to `kib` KiB for the block (elsewhere, nothing).

    A first load holds a large one from its first row to its commit: the statements after
    the writes (the rollups) then read the load's uncommitted pages from memory instead of
    looking each up in the write-ahead log (a rollup refresh at demo scale 50 took 13.8 s
    instead of 19.3 s). SQLite takes the memory only as pages are read or written, and
    gives it back when the block ends.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    with _sqlite_cache(connection.connection, kib):
        yield


@contextmanager
def _sqlite_cache(db: sqlite3.Connection, kib: int) -> Iterator[None]:
    previous = db.execute("PRAGMA cache_size").fetchone()[0]
    wanted = -kib
    # A negative size is KiB, a positive one pages (of 4 KiB by default).
    if (-previous if previous < 0 else previous * 4) >= kib:
        yield
        return
    db.execute(f"PRAGMA cache_size = {wanted}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(previous)}")


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for `count` new rows of `model`, so that the rows referring to them can be
    written in the same pass instead of reading the keys back. Call it inside the
    transaction that inserts the rows.
    """
    if count == 0:
        return []
    meta = model._meta
    table, pk = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence looked up once (per row, the lookup costs 5x the nextval), and
            # usually consecutive values: send back the range, not a million rows.
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "WITH ids AS (SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s)) "
                "SELECT min(id), CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL "
                "ELSE array_agg(id) END FROM ids",
                [sequence, count],
            )
            first, scattered = cursor.fetchone()
            return scattered if scattered is not None else list(range(first, first + count))
        # SQLite: the transaction holds the write lock (transaction_mode IMMEDIATE), so the
        # keys after the highest ever used (sqlite_sequence, for AUTOINCREMENT) are ours.
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"coalesce((SELECT max({quote(pk)}) FROM {quote(table)}), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


@contextmanager
def foreign_keys_checked_once(*models) -> Iterator[None]:
    """Check the foreign keys of `models`' tables once, set-based, at the end of the block.

    The block runs in one transaction (this opens it, or joins the caller's); a row
    without its target refuses the whole block (IntegrityError).

    PostgreSQL checks a foreign key row by row, one query per row and key at commit (about
    5 µs each: some 20 million checks, 100 s, for the demo at scale 100). Here the keys are
    dropped and added back, in one transaction; adding a key checks every row of the table
    in one join. The price is an exclusive lock on these tables and the tables they point
    to until the transaction ends: for building a database that nobody uses yet (the demo,
    a county's first load), never for imports into a registry in use.

    SQLite looks each key up as each row is written (a fifth of the time a person takes),
    and cannot switch that off inside a transaction. Called outside one, this switches the
    checks off for the connection, opens the transaction, and before the commit checks the
    keys of every table (PRAGMA foreign_key_check: the block may have written others too,
    unchecked). Inside the caller's transaction, SQLite checks row by row as usual.
    """
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            yield
            return
        with connection.constraint_checks_disabled(), transaction.atomic():
            yield
            connection.check_constraints()
        return
    tables = [model._meta.db_table for model in models]
    with transaction.atomic(), connection.cursor() as cursor:
        # A table with deferred checks pending in this transaction (rows written before the
        # block) cannot be altered: run those checks now, as Django's own test cases do.
        connection.check_constraints()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        yield
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


@contextmanager
def indexes_built_after(*models) -> Iterator[None]:
    """Build the indexes of `models`' tables after the block, when they are empty.

    Inserting a million rows into a B-tree one by one (the ID blind index is random) costs
    several times what one sorted build of the same index does. For tables that are empty
    when the block starts, the indexes (unique ones included) are dropped and built again
    at the end of the block, in the same transaction; on PostgreSQL the primary key too,
    unless a foreign key points at it, and the tables are then analysed so that the
    statements after the load plan with their real sizes. An index broken by the block (a
    duplicate) refuses it as a whole (IntegrityError) when it is built again. Like
    foreign_keys_checked_once, this holds an exclusive lock on the tables until the
    transaction ends: for a first load. Tables that hold rows keep their indexes during
    the block. SQLite cannot drop what a table's definition declares (its primary key,
    inline unique constraints): the registry declares its unique rules as unique indexes
    (UniqueConstraint over expressions) so that they can go too.
    """
    quote = connection.ops.quote_name
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            # Pending deferred checks forbid ALTER TABLE (on SQLite this would check every
            # key of the database instead, for nothing).
            connection.check_constraints()
        tables = []
        for model in models:
            table = quote(model._meta.db_table)
            cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
            if cursor.fetchone()[0]:
                tables.append(model._meta.db_table)
        builds = _index_builds(cursor, tables)
        for drop, _build in builds:
            cursor.execute(drop)
        yield
        if postgresql:
            connection.check_constraints()  # the block's own pending checks, likewise
        for _drop, build in builds:
            cursor.execute(build)
        if postgresql:
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")


def _index_builds(cursor, tables: list[str]) -> list[tuple[str, str]]:
    """(drop, build) statements for the indexes of `tables` that can go during a load."""
    if not tables:
        return []
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        # Indexes made by CREATE INDEX (an automatic one, of the table's definition, has no
        # statement and cannot be dropped).
        cursor.execute(
            "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' "
            "AND sql IS NOT NULL ORDER BY tbl_name, name"
        )
        return [
            (f"DROP INDEX {quote(name)}", sql)
            for table, name, sql in cursor.fetchall()
            if table in tables
        ]
    # Unique constraints and primary keys (dropped and added back as constraints), then
    # the plain indexes. A primary key stays where a foreign key points at it: keeping up
    # an index of ascending keys row by row still costs more than a build (a third of
    # COPY's time for the incomes), but the key cannot go.
    cursor.execute(
        "SELECT i.indrelid::regclass::text, c.relname, con.conname, "
        "pg_get_constraintdef(con.oid), pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid "
        "AND con.conrelid = i.indrelid AND con.contype IN ('u', 'p') "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND (NOT i.indisprimary OR NOT EXISTS "
        "(SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = i.indrelid))"
        " ORDER BY i.indisprimary DESC, 1, 2",
        [tables],
    )
    builds = []
    for table, index, constraint, definition, indexdef in cursor.fetchall():
        if constraint:
            alter = f"ALTER TABLE {quote(table)} "
            builds.append(
                (
                    alter + f"DROP CONSTRAINT {quote(constraint)}",
                    alter + f"ADD CONSTRAINT {quote(constraint)} {definition}",
                )
            )
        else:
            builds.append((f"DROP INDEX {quote(index)}", indexdef))
    return builds
