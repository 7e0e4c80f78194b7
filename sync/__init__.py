"""Store-and-forward sync to the county centre (a later issue builds the agent and server).

The station side already records every change in the append-only ``event`` table
(appliance/storage/models.py), which is the sync outbox.
"""
