"""Hardware layer (硬件): devices behind Protocols, with simulated and fake backends.

The station core never imports a device library. It asks ``hw`` for a backend picked by
settings (``make_receipt_printer``) and talks to it through ``hw.protocols``.
"""
