"""The append-only event log (事件日志): every state change writes one, in its own transaction."""
