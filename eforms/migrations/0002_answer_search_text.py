"""The answers folded for the officers' queue search (eforms/search.py), filled for the answer sets already there, and
on PostgreSQL a trigram index so that ``search_text LIKE '%word%'`` does not read every answer set. Where the pg_trgm
extension cannot be had (or on SQLite) the search still works, by a scan."""

from django.db import migrations, models

INDEX = "eforms_answerset_search_trgm"


def fill(apps, schema_editor):
    # The app's own folding (eforms/search.py): the text must be the one the services write from now on.
    from eforms.search import answers_search_text

    AnswerSet = apps.get_model("eforms", "AnswerSet")
    for answer_set in AnswerSet.objects.select_related("definition").iterator(chunk_size=500):
        answer_set.search_text = answers_search_text(answer_set.definition.schema, answer_set.answers)
        answer_set.save(update_fields=["search_text"])


def _trigrams_available(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is not None:
            return True
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("SAVEPOINT eforms_trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # no right to create extensions: the search scans instead
            cursor.execute("ROLLBACK TO SAVEPOINT eforms_trgm")
            return False
        cursor.execute("RELEASE SAVEPOINT eforms_trgm")
        return True


def index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql" and _trigrams_available(connection):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON eforms_answerset USING gin (search_text gin_trgm_ops)"
        )


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("eforms", "0001_declaration_forms_and_answers"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="answerset",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="nội dung để tìm kiếm"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, unindex),
    ]
