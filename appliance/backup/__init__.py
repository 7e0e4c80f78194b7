"""Backups (备份) of the station data: the database, kept notices and keys."""
