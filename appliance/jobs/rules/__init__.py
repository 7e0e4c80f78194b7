"""Pure rules of the job queues: statuses, retry delays and SMS templates."""
