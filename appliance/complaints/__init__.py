"""Complaints (投诉受理, R-P2): any channel, kept confidential on request, checked before any
promise, settled or passed on and followed, answered, closed with the answer."""
