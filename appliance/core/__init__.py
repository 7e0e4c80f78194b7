"""Pure domain rules. Nothing here imports an I/O library (tests/test_architecture.py)."""
