"""Store-and-forward sync with the county centre (县级中心同步, R-N3).

- ``sync.station``: the station's agent. It sends the append-only event log (the outbox,
  ``appliance.events``) in signed batches over HTTP or a USB stick, and brings reference data
  (catalogue, calendar, staff, bookings) back down.
- ``sync.county``: the county server. It verifies and stores every station's events exactly
  once in effect (PostgreSQL), applies them to the dashboard projections, and publishes the
  reference data.
- ``sync.protocol``, ``sync.crypto``, ``sync.canonical``, ``sync.usb_format``: the wire format
  both sides share.
"""
