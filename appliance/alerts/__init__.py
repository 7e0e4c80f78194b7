"""Staff alerts (提醒): raised by rules (absence, overdue cases, failed SMS), shown on the TUI."""
