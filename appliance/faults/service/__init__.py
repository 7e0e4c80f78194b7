"""Services of the fault log and the emergency records."""
