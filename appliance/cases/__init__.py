"""Case handling (办件, R-K1–R-K8): rules, service, tables, wire types and the HTTP controller."""
