"""Services of the "办不成事" desk (R-P1)."""
