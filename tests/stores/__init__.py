"""Test harness for the store tests (tests/test_stores*.py, test_load*.py, test_serve*.py)."""
