"""Pure figure rules: fold one day's events into a roll-up, merge roll-ups into figures."""
