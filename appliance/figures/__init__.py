"""Station figures (统计, R-M1, R-M3, R-T4): daily roll-ups of the event log, figures by
day, week, month, item, category and staff member, and their CSV / XLSX export."""
