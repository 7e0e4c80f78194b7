"""Pure queue rules: ticket states, numbering, calling order, wait estimate."""
