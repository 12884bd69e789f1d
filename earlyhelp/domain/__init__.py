"""Pure domain rules: no Django, no database. Unit-tested without a database."""
