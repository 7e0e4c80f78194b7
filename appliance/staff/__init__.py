"""Staff (人员, R-T1–R-T3): accounts, roles, sessions, attendance and the public board."""
