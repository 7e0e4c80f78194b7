"""Staff services: accounts and sessions, and the list the county publishes."""
