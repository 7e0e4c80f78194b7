"""``yizhan hw``: the hardware service, a separate process that talks to the station API.

A device fault never stops the queue: the server owns the durable print and SMS tables; this
process leases work from them, performs it on the devices and reports back.
"""
