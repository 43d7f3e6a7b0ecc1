"""Resumable HTTP(S) download of a package whose length and hashes the signed metadata gave.

The bytes go to ``<name>.part``; a second call resumes with a ``Range`` request. A server
sending more than the expected length is cut off at the first extra byte and the file deleted;
a wrong hash deletes it too. Only a verified file is renamed to its final name.
"""

from __future__ import annotations

import hashlib
import logging
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
TIMEOUT_S = 30.0

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


class DownloadError(OSError):
    """The package could not be downloaded, or did not match its signed length or hash."""


class DownloadCancelled(DownloadError):
    pass


@dataclass(frozen=True)
class Expected:
    url: str
    length: int
    sha256: str


def download(
    expected: Expected,
    destination: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Download to ``destination`` (resuming a ``.part`` file); return it once verified."""
    part = destination.with_name(destination.name + ".part")
    destination.parent.mkdir(parents=True, exist_ok=True)
    if part.exists() and part.stat().st_size > expected.length:
        part.unlink()
    try:
        _fetch(expected, part, progress, cancelled)
        _verify(part, expected)
    except DownloadCancelled:
        raise  # keep the .part file for the next try
    except DownloadError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, destination)
    return destination


def _open(url: str, offset: int) -> tuple[Any, bool]:
    request = urllib.request.Request(url, headers={"User-Agent": "Mostrador-updater"})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT_S)  # noqa: S310
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:  # nothing left to send: the part is whole
            return None, True
        raise DownloadError(f"{url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError) as exc:
        raise DownloadError(f"{url}: {exc}") from exc
    return response, response.status == 206


def _fetch(
    expected: Expected, part: Path, progress: Progress | None, cancelled: Callable[[], bool] | None
) -> None:
    offset = part.stat().st_size if part.exists() else 0
    if offset == expected.length:
        return
    response, resumed = _open(expected.url, offset)
    if response is None:
        return
    with response, open(part, "ab" if resumed and offset else "wb") as sink:
        done = offset if resumed else 0
        while True:
            if cancelled and cancelled():
                raise DownloadCancelled("download cancelled")
            chunk = response.read(min(CHUNK, expected.length - done + 1))
            if not chunk:
                break
            done += len(chunk)
            if done > expected.length:
                raise DownloadError(
                    f"{expected.url}: longer than the {expected.length} bytes signed"
                )
            sink.write(chunk)
            if progress:
                progress(done, expected.length)
        sink.flush()
        os.fsync(sink.fileno())


def _verify(part: Path, expected: Expected) -> None:
    size = part.stat().st_size
    if size != expected.length:
        raise DownloadError(f"{expected.url}: {size} bytes, {expected.length} signed")
    digest = hashlib.sha256()
    with open(part, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    if digest.hexdigest() != expected.sha256:
        raise DownloadError(f"{expected.url}: its hash does not match the signed one")
