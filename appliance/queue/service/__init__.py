"""Queue services: issuing, calling, windows, snapshots and station configuration."""
