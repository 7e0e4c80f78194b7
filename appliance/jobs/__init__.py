"""The leased-job queues: print jobs (打印任务) and SMS (短信), done by the hardware service."""
