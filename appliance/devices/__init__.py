"""Device states, device alerts, rating-keypad presses and the event feed of the hardware service."""
