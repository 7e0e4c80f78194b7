"""Catalogue services: versions and search, imports, and the 一次性告知单."""
