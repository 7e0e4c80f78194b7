"""Case handling services: each public method is one transaction with its transition and event."""
