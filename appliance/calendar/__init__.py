"""Working-day calendar (工作日历, R-K3): statutory holidays, make-up workdays and deadlines."""
