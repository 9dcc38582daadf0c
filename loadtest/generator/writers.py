"""Writing generated rows: PostgreSQL's COPY (text format) on the psycopg connection, or plain ``executemany`` for
other databases (SQLite in tests). Rows carry explicit ids; the id sequences are moved past them afterwards.

``bulk_create`` is not used for dossiers: it would overwrite ``created_at``/``updated_at`` (``auto_now``) with the
current time, and the history needs its own dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import connection


class Writer:
    """Base: executemany with explicit values (SQLite, in tests and development)."""

    label = "executemany"

    def __init__(self, datetime_columns: set[str]):
        self.datetime_columns = datetime_columns
        self.quote = connection.ops.quote_name

    def insert(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        rows = list(rows)
        if not rows:
            return 0
        stamps = [i for i, c in enumerate(columns) if c in self.datetime_columns]
        adapt = connection.ops.adapt_datetimefield_value
        if stamps:
            adapted = []
            for row in rows:
                values = list(row)
                for i in stamps:
                    if values[i] is not None:
                        values[i] = adapt(datetime.fromisoformat(values[i]))
                adapted.append(values)
            rows = adapted
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (our table and columns, quoted)
            self.quote(table), ", ".join(self.quote(c) for c in columns), ", ".join(["%s"] * len(columns))
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        return len(rows)

    def max_id(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.quote(table)}")  # noqa: S608 (our table)
            return cursor.fetchone()[0]

    def sequence_past_max(self, table: str) -> None:
        """SQLite's AUTOINCREMENT follows the largest id inserted by itself."""

    def counters_raise(self, table: str, rows: list[tuple[int, date, int]]) -> None:
        """Insert each (agency, day) counter or raise its ``last`` to at least the given value."""
        if not rows:
            return
        t = self.quote(table)
        sql = (
            f"INSERT INTO {t} (agency_id, day, last) VALUES (%s, %s, %s) "  # noqa: S608 (our table)
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = MAX({t}.last, excluded.last)"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def analyze(self, tables: list[str]) -> None:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {self.quote(table)}")


class CopyWriter(Writer):
    """PostgreSQL: COPY … FROM STDIN (text format; psycopg escapes the values). Moments are ISO 8601 strings with
    their offset, which PostgreSQL parses into ``timestamptz``."""

    label = "COPY"

    def insert(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        sql = "COPY {} ({}) FROM STDIN".format(self.quote(table), ", ".join(self.quote(c) for c in columns))
        count = 0
        with connection.cursor() as cursor:
            pg = cursor.connection  # the psycopg connection under Django's wrapper, in the same transaction
            with pg.cursor() as raw, raw.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)  # formatted by psycopg's C extension
                    count += 1
        return count

    def counters_raise(self, table: str, rows: list[tuple[int, date, int]]) -> None:
        """Through a temporary table filled by COPY: one statement instead of one per (agency, day)."""
        if not rows:
            return
        t = self.quote(table)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS generated_counters "
                "(agency_id bigint, day date, last integer) ON COMMIT DELETE ROWS"
            )
            with cursor.connection.cursor() as raw, raw.copy("COPY generated_counters FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {t} (agency_id, day, last) SELECT agency_id, day, last FROM generated_counters "  # noqa: S608
                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = GREATEST({t}.last, excluded.last)"
            )
            cursor.execute(
                "DELETE FROM generated_counters"
            )  # a caller's outer transaction may not commit soon

    def sequence_past_max(self, table: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {self.quote(table)}))",  # noqa: S608
                [table],
            )


def writer_for_connection(datetime_columns: set[str]) -> Writer:
    return CopyWriter(datetime_columns) if connection.vendor == "postgresql" else Writer(datetime_columns)
