"""Early Help: case management and outcomes for local authority early help services."""
