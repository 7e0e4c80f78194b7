"""首问负责 (first contact, R-C1): who answered a visitor first, the matter, and how it ended."""
