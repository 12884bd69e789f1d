"""Test support shared by every app: factories of synthetic records."""
