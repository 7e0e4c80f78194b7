"""Demo data for ``make run``: a believable village station and its open cases."""
