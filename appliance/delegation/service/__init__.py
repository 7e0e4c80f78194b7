"""帮办代办 services."""
