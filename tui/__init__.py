"""驿站 staff terminal (工作人员终端): a Textual app over the station HTTP API."""
