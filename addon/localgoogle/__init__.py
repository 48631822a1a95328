"""localgoogle layer."""
