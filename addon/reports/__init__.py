"""File exports of the pipeline review (xlsx)."""
