"""Station figures: the roll-ups (``rollups``) and the figures and exports (``figures``)."""
