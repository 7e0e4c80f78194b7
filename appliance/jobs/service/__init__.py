"""Services of the job queues: print jobs and SMS."""
