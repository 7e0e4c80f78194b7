"""First-contact services (首问登记, R-C1)."""
