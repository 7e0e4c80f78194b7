"""Services of the appointment book (预约) and the outage register (R-Q7, R-Q8)."""
