"""Entry points of the 驿站 (yizhan) appliance: the ``yizhan`` command and the self-check."""
