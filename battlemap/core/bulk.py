"""Set-based writes: COPY on PostgreSQL, one executemany on SQLite.

The ORM's bulk_create is 20–40× slower than these raw paths (TOOLCHAIN.md), and
the registry's bulk paths (demo, import) write up to millions of rows. Callers
validate first and write audit records themselves; this only moves rows.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import DateField


def bulk_insert(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (tuples in the order of `fields`) into `model`'s table; returns the count."""
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_sql = ", ".join(quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            placeholders = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})"  # noqa: S608
            raw = cursor.cursor  # the sqlite3 cursor: no per-row query formatting
            # Django stores dates in SQLite as ISO text; sqlite3's own date adapter is deprecated.
            dates = [i for i, n in enumerate(fields) if type(meta.get_field(n)) is DateField]
            batch: list = []
            for row in rows:
                if dates:
                    row = list(row)
                    for i in dates:
                        if row[i] is not None:
                            row[i] = row[i].isoformat()
                batch.append(row)
                if len(batch) >= 10000:
                    raw.executemany(sql, batch)
                    count += len(batch)
                    batch.clear()
            if batch:
                raw.executemany(sql, batch)
                count += len(batch)
    return count
