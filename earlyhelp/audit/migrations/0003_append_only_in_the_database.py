"""On PostgreSQL, the database itself refuses to change or delete audit records.

Triggers on the change history, the case events and the access log raise on DELETE and on
any UPDATE, except the one change the retention job makes: a change record's `changes` or
a case event's `data` with some values replaced by the redaction marker "[redacted]" (or a
list of them), every other column and every other value unchanged. The access log is
never changed at all. The same rule is applied in Python (`audit.models`), so SQLite
refuses through the application; PostgreSQL refuses whatever the client.

TRUNCATE is not trapped: it needs the table owner's privilege, which production's
application role should not hold (README, "Data protection"), and test databases are
emptied with it.
"""

from django.db import migrations

REDACTION_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION earlyhelp_audit_is_redaction(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT v = '"[redacted]"'::jsonb
      OR (jsonb_typeof(v) = 'array' AND NOT EXISTS (
            SELECT 1 FROM jsonb_array_elements(v) AS e(item)
            WHERE item <> '"[redacted]"'::jsonb AND item <> 'null'::jsonb))
$$;

CREATE OR REPLACE FUNCTION earlyhelp_audit_only_redacts(before jsonb, after jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_typeof(before) = 'object' AND jsonb_typeof(after) = 'object'
     AND ARRAY(SELECT k FROM jsonb_object_keys(before) AS b(k) ORDER BY k)
         = ARRAY(SELECT k FROM jsonb_object_keys(after) AS a(k) ORDER BY k)
     AND NOT EXISTS (
           SELECT 1 FROM jsonb_each(after) AS n(key, value)
           WHERE n.value IS DISTINCT FROM before -> n.key
             AND NOT earlyhelp_audit_is_redaction(n.value))
$$;

CREATE OR REPLACE FUNCTION earlyhelp_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  payload text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit records are append-only: DELETE on % refused', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_NARGS = 0 THEN
    RAISE EXCEPTION 'audit records are append-only: UPDATE on % refused', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  payload := TG_ARGV[0];
  IF (to_jsonb(NEW) - payload) IS DISTINCT FROM (to_jsonb(OLD) - payload)
     OR NOT earlyhelp_audit_only_redacts(to_jsonb(OLD) -> payload, to_jsonb(NEW) -> payload) THEN
    RAISE EXCEPTION 'audit records are append-only: only a redaction of % is allowed on %',
      payload, TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
"""

# (model, payload column or None: the trigger's argument)
TABLES = [("changerecord", "changes"), ("caseevent", "data"), ("accesslog", None)]


def _table(apps, model: str) -> str:
    return apps.get_model("audit", model)._meta.db_table


def create_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REDACTION_FUNCTIONS, params=None)  # '%' is plpgsql's
    for model, payload in TABLES:
        table = _table(apps, model)
        argument = f"'{payload}'" if payload else ""
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION earlyhelp_audit_append_only({argument})"
        )


def drop_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, _payload in TABLES:
        table = _table(apps, model)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS earlyhelp_audit_append_only();"
        "DROP FUNCTION IF EXISTS earlyhelp_audit_only_redacts(jsonb, jsonb);"
        "DROP FUNCTION IF EXISTS earlyhelp_audit_is_redaction(jsonb);"
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_anonymise_action_and_access_index")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
