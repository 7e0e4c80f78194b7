"""Services of ratings: the channels (``ratings``), the follow-ups (``followups``), the
rates (``rates``) and the background pass (``sweep``)."""
