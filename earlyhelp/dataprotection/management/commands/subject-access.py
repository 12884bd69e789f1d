"""`earlyhelp subject-access PERSON_REF DIR`: everything held about one person, as a
readable HTML document and a machine-readable JSON file (the export is logged)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.dataprotection.cli import command_actor
from earlyhelp.dataprotection.subject_access import subject_access_export, write_files
from earlyhelp.people.models import Person


class Command(BaseCommand):
    help = "Write a subject access export of one person (HTML and JSON) into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person_ref", help="the person's reference, e.g. P0001234")
        parser.add_argument("directory", type=Path, help="the folder to write (created if need be)")

    def handle(self, *args: Any, **options: Any) -> None:
        ref = options["person_ref"].strip().upper()
        person = Person.objects.filter(person_ref=ref).first()
        if person is None:
            raise CommandError(f"No person with the reference {ref}.")
        document = subject_access_export(
            actor=command_actor("subject-access"), person=person, how="command line"
        )
        for path in write_files(document, options["directory"]):
            self.stdout.write(str(path))
