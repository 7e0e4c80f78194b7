"""Queue and calling (取号叫号, R-Q1–R-Q6): tickets, windows, the hall display."""
