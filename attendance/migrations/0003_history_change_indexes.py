"""Partial indexes of the history rows that the change log (audit/changes.py) reads: the changes after a first entry
are a few per cent of the history, so each branch of its query walks only them, by school and date, newest first.
Plain SQL that PostgreSQL and SQLite both run; Django's model state does not know history tables' indexes."""

from django.db import migrations

INDEXES = [
    ("att_habsence_changes", "attendance_historicalabsence", "history_type <> '+' OR late_change_id IS NOT NULL"),
]


class Migration(migrations.Migration):
    dependencies = [("attendance", "0002_absence_late_change")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} (school_id, history_date, history_id) WHERE {where}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, where in INDEXES
    ]
