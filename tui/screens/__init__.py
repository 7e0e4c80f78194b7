"""Screens of the staff terminal: login, queue, lock, and the small dialogs."""
