"""Ratings (好差评, R-E1–R-E4): one rating per finished service, and the follow-up (回访) of
every bad rating to closure."""
