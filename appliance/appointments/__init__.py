"""Appointments (预约, R-Q7) and the outage register (停电断网登记, R-Q8)."""
