"""The station clock (系统时间): a Pi has no RTC; the server refuses a clock it cannot trust."""
