"""Trigram search where PostgreSQL offers it: the pg_trgm extension (for similar-text duplicates) and trigram indexes
for the public search of published answers. Django's ``icontains`` asks ``UPPER(column) LIKE UPPER('%word%')`` on
PostgreSQL, so the indexes are on ``UPPER(column)``. Where the extension is not available (or the database
is not PostgreSQL) nothing is done: the duplicates fall back to shared words and the search to a scan."""

from django.db import migrations

INDEXES = (
    ("feedback_public_question_trgm", "public_question"),
    ("feedback_public_answer_trgm", "public_answer"),
)


def _trigram_ready(schema_editor) -> bool:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                with connection.cursor() as create:
                    create.execute("SAVEPOINT feedback_trgm")
                    create.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                    create.execute("RELEASE SAVEPOINT feedback_trgm")
            except Exception:  # no right to create extensions: go without
                with connection.cursor() as undo:
                    undo.execute("ROLLBACK TO SAVEPOINT feedback_trgm")
                return False
    return True


def forwards(apps, schema_editor):
    if not _trigram_ready(schema_editor):
        return
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON feedback_feedback USING gin (UPPER({column}) gin_trgm_ops) "
            "WHERE state = 'published'"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_feedback_items_events_outbox")]

    operations = [migrations.RunPython(forwards, backwards)]
