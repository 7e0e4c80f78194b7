"""帮办代办 (help and delegation, R-D1, R-D2)."""
