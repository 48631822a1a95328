"""The teams file (`MAP_TEAMS_FILE`), read once and again only when it changes on disk.

The sidebar asks who may read a plan on every request; parsing YAML each time is waste, and a
manager added to the file must still be honoured without a restart: the parsed teams are kept
with the file's modification time and size, and read again when either moves.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..domain.teams import Team, load_teams


class TeamsFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.reads = 0  # times the file was parsed (for tests and curiosity)
        self._seen: tuple[int, int] | None = None
        self._teams: list[Team] = []
        self._lock = threading.Lock()

    def teams(self) -> list[Team]:
        """The teams as the file says now (TeamsError for a broken file, as `load_teams`)."""
        try:
            stat = self.path.stat()
            key: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = None  # no file: one implicit team of everything
        with self._lock:
            if key is None or key != self._seen:
                self._teams = load_teams(self.path)
                self._seen = key
                self.reads += 1
            return list(self._teams)
