"""Page views, one module per journey. Each reads through selectors and writes through services."""
