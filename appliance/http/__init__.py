"""The station HTTP server (Litestar): thin handlers over the services."""
