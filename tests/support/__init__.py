"""Helpers shared by the tests: real servers (cupsd, PostgreSQL), browsers, proxies, the station."""
