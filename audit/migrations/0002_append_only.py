"""The audit log is append-only in the database too (issue 10 item 2): on PostgreSQL a trigger refuses every UPDATE
of an entry, and every DELETE unless the transaction said `SET LOCAL ejournal.audit_purge = 'on'`, which only the
retention purge (audit.log.audit_purge) does. SQLite (the demo) keeps the model's and the queryset's guard.

TRUNCATE is left alone: the test runner's flush and a restore into an empty database (issue 10 item 4) use it, and
no page or service can issue it."""

from django.conf import settings
from django.db import migrations, models

CREATE = [
    """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ejournal.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$""",
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                # No parameters: the body's «%» is PL/pgSQL's, not a placeholder.
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["school", "-created_at", "-id"], name="audit_school_keyset"),
        ),
        migrations.RunPython(_run(CREATE), _run(DROP), elidable=False),
    ]
