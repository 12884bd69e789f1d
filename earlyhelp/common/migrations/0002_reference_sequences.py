"""PostgreSQL sequences for new references (common.references): made once, here."""

from django.db import migrations

MIGRATED_SEQUENCES = (
    "earlyhelp_ref_casework_case_case_ref",
    "earlyhelp_ref_frontdoor_notification_notification_ref",
    "earlyhelp_ref_frontdoor_stepdownproposal_proposal_ref",
    "earlyhelp_ref_people_family_family_ref",
    "earlyhelp_ref_people_person_person_ref",
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in MIGRATED_SEQUENCES:
        schema_editor.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in MIGRATED_SEQUENCES:
        schema_editor.execute(f'DROP SEQUENCE IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
