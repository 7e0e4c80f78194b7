"""yizhan (驿站) station appliance: domain, storage, services and the HTTP server."""
