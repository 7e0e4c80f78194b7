"""Service item catalogue (事项目录, R-S1–R-S3, R-C4): rules, service, tables, controller."""
