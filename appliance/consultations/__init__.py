"""咨询台账 (the consultation ledger, R-C2): questions, promised replies, overdue alerts."""
