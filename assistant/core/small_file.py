"""Reading a small settings file (IT profile, provider list) without trusting what the path is.

`Path.read_text` reads until the end: `--profile /dev/zero` grows without limit, and a FIFO blocks
for ever waiting for a writer. So: only regular files, checked before opening (a FIFO is never
opened) and again on the open descriptor, opened non-blocking where the system has that, and read
only up to a size cap.
"""

from __future__ import annotations

import enum
import os
import stat
from pathlib import Path

MAX_SETTINGS_BYTES = 1024 * 1024
"""Far above any real profile (a few kB) or the bundled provider list (~100 kB)."""


class FileProblem(enum.StrEnum):
    MISSING = "missing"
    NOT_A_FILE = "not_a_file"  # a folder, a device, a FIFO, a socket
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"


class SmallFileError(OSError):
    """The file cannot be used; `problem` says why (callers word it for the person)."""

    def __init__(self, problem: FileProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def read_small_file(path: Path | str, max_bytes: int = MAX_SETTINGS_BYTES) -> bytes:
    """The whole content of a regular file no bigger than `max_bytes`, else SmallFileError."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SmallFileError(FileProblem.MISSING) from None
    except (OSError, ValueError):
        raise SmallFileError(FileProblem.UNREADABLE) from None
    if not stat.S_ISREG(info.st_mode):
        raise SmallFileError(FileProblem.NOT_A_FILE)
    if info.st_size > max_bytes:
        raise SmallFileError(FileProblem.TOO_LARGE)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise SmallFileError(FileProblem.MISSING) from None
    except OSError:
        raise SmallFileError(FileProblem.UNREADABLE) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since the check
            raise SmallFileError(FileProblem.NOT_A_FILE)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > max_bytes:  # the file grew while being read
                raise SmallFileError(FileProblem.TOO_LARGE)
            chunks.append(chunk)
    except SmallFileError:
        raise
    except OSError:
        raise SmallFileError(FileProblem.UNREADABLE) from None
    finally:
        os.close(fd)
