"""Benchmarks of the station server, run through its real HTTP API (``make bench``)."""
