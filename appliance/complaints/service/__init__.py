"""Services of the complaints ledger (R-P2)."""
