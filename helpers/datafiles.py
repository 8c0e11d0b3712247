"""Find, download and prepare the Million Song data file ``millionsong.txt``.

The labs read ``millionsong.txt`` in the format of the BerkeleyX CS190.1x lab
file: one song per line, ``year,f0,...,f11``, comma separated, no header, where
``year`` is the release year and ``f0..f11`` are the 12 timbre averages, each
min-max scaled to [0, 1].  This module finds a copy (``$DISTML_DATA_DIR``, then
the cache folder) or builds one from the UCI YearPredictionMSD archive, checks
it, and tells the user exactly what to do when neither works.  It imports only
the standard library and numpy so it runs before Spark is installed.

Command line (the Makefile runs ``locate`` to make the data ready)::

    python -m helpers.datafiles locate    # prints the path, or the error and exits 1
"""
import argparse
import hashlib
import io
import os
import sys
import urllib.request
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["MILLIONSONG", "UCI_URL", "DataNotFoundError", "DataIntegrityError", "cache_dir",
           "locate_millionsong", "validate_millionsong", "download_and_prepare"]

MILLIONSONG = "millionsong.txt"
UCI_URL = "https://archive.ics.uci.edu/static/public/203/yearpredictionmsd.zip"
ZIP_NAME = "YearPredictionMSD.zip"
_REPO = Path(__file__).resolve().parents[1]
_COLUMNS = 91  # year, 12 timbre averages, 78 timbre covariances
_CHUNK = 20_000  # lines parsed per numpy call: ~15 MB of floats, never the 430 MB text at once


class DataNotFoundError(FileNotFoundError):
    """No usable ``millionsong.txt`` was found and none could be downloaded."""


class DataIntegrityError(ValueError):
    """A data file or archive is corrupt or not what we expect (the message says where)."""


def cache_dir():
    """Folder where the archive and the prepared file are cached.

    ``$DISTML_CACHE_DIR`` if set, else ``<repo>/data/cache`` if ``<repo>/data``
    exists, else ``~/.cache/distml``.  The folder is not created here.

    Examples
    --------
    >>> cache_dir().name in ("cache", "distml") or "DISTML_CACHE_DIR" in os.environ
    True
    """
    if os.environ.get("DISTML_CACHE_DIR"):
        return Path(os.environ["DISTML_CACHE_DIR"]).expanduser()
    if (_REPO / "data").is_dir():
        return _REPO / "data" / "cache"
    return Path.home() / ".cache" / "distml"


def _url(url):
    return url or os.environ.get("DISTML_DATA_URL") or UCI_URL


def _where_to_put_it(url):
    return (f"Put {MILLIONSONG} in {cache_dir()}, or set DISTML_DATA_DIR to a folder that holds "
            f"{MILLIONSONG}, or download {url} by hand, save it as {cache_dir() / ZIP_NAME} and "
            f"run `python -m helpers.datafiles locate` again.")


def locate_millionsong(*, download=True, url=None, expected_rows=515_345):
    """Return the path of a checked ``millionsong.txt``, downloading it if needed.

    Looks in ``$DISTML_DATA_DIR`` (if set, and only there), then in
    :func:`cache_dir`, then (if `download`) builds it with
    :func:`download_and_prepare` into the cache folder.

    Raises
    ------
    DataNotFoundError
        If no file is found and it cannot be downloaded; the message says what to do.
    DataIntegrityError
        If the file found (or the archive downloaded) is corrupt.

    Examples
    --------
    >>> locate_millionsong(download=False).name
    'millionsong.txt'
    """
    data_dir = os.environ.get("DISTML_DATA_DIR")
    if data_dir:
        # An explicit setting that points nowhere is a mistake to report, not to paper over.
        path = Path(data_dir).expanduser() / MILLIONSONG
        if not path.is_file():
            raise DataNotFoundError(
                f"DISTML_DATA_DIR is set to {data_dir}, but {path} does not exist. Put "
                f"{MILLIONSONG} in {data_dir}, or unset DISTML_DATA_DIR to use the cache folder "
                f"{cache_dir()} (the file is downloaded there from {_url(url)} if missing).")
    else:
        path = cache_dir() / MILLIONSONG
        if not path.is_file():
            if not download:
                raise DataNotFoundError(f"{MILLIONSONG} was not found. " + _where_to_put_it(_url(url)))
            try:
                path = download_and_prepare(cache_dir(), url=url, expected_rows=expected_rows)
            except OSError as exc:  # URLError, HTTPError, refused connection, disk full
                raise DataNotFoundError(f"{MILLIONSONG} was not found and downloading {_url(url)} "
                                        f"failed ({exc}). " + _where_to_put_it(_url(url))) from exc
    validate_millionsong(path)
    return path


def validate_millionsong(path):
    """Check a ``millionsong.txt`` file line by line and return its number of rows.

    Every line must hold 13 numbers: an integer-valued year in 1900..2100 and
    12 features in [0, 1] (tolerance 1e-9).

    Raises
    ------
    DataIntegrityError
        Naming the first bad line, or if the file is empty.

    Examples
    --------
    >>> validate_millionsong(locate_millionsong(download=False))
    6724
    """
    rows = 0
    with open(path, encoding="utf-8") as f:
        for rows, line in enumerate(f, 1):
            fields = line.rstrip("\r\n").split(",")
            where = f"{path} line {rows}"
            if len(fields) != 13:
                raise DataIntegrityError(f"{where}: expected 13 comma-separated fields, found {len(fields)}")
            try:
                year, *features = map(float, fields)
            except ValueError:
                raise DataIntegrityError(f"{where}: non-numeric value in {line.strip()[:80]!r}") from None
            if not (1900 <= year <= 2100 and year == int(year)):
                raise DataIntegrityError(f"{where}: implausible year {fields[0]!r}")
            for i, x in enumerate(features):
                if not -1e-9 <= x <= 1 + 1e-9:  # also rejects nan
                    raise DataIntegrityError(f"{where}: feature f{i} = {fields[i + 1]!r} is outside [0, 1]")
    if rows == 0:
        raise DataIntegrityError(f"{path} is empty")
    return rows


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _part(path):
    # Temp name beside the target (same file system, so os.replace is atomic).  Not mkstemp:
    # its files are private (0600), and the data must stay readable by e.g. Spark workers.
    return path.with_name(f"{path.name}.{os.getpid()}.part")


def _atomic_write(path, lines):
    # Write then rename, so an interrupted run never leaves a half file that a later run
    # would take for a finished one.
    tmp = _part(path)
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(lines)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _download(url, dest):
    print(f"Downloading {url} ...", file=sys.stderr)  # stderr: stdout is kept for the path
    tmp = _part(dest)
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, open(tmp, "wb") as out:
            while block := resp.read(1 << 20):
                out.write(block)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    print(f"Downloaded {dest.stat().st_size / 1e6:.1f} MB to {dest}", file=sys.stderr)


def _parse_chunk(lines, first, name):
    try:
        return np.loadtxt(lines, delimiter=",", comments=None, ndmin=2)[:, :13]
    except ValueError as exc:
        for lineno, line in enumerate(lines, first):  # rare path: find the line to blame
            try:
                [float(v) for v in line.split(",")]
            except ValueError:
                raise DataIntegrityError(f"{name} line {lineno}: non-numeric value") from None
        raise DataIntegrityError(f"{name} lines {first}..{first + len(lines) - 1}: {exc}") from None


def _read_archive(zip_path, expected_rows):
    """Return the year and 12 timbre-average columns of the archive as an (n, 13) array."""
    try:
        with zipfile.ZipFile(zip_path) as zf:
            # Directory entries and macOS resource forks are packaging noise, not data.
            members = [m for m in zf.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
            if len(members) != 1 or not members[0].filename.endswith(".txt"):
                raise DataIntegrityError(f"{zip_path} should hold exactly one .txt file, "
                                         f"holds {[m.filename for m in members]}")
            name = members[0].filename
            blocks, chunk, lineno = [], [], 0
            with zf.open(members[0]) as raw:
                for lineno, line in enumerate(io.TextIOWrapper(raw, encoding="utf-8"), 1):
                    if line.count(",") != _COLUMNS - 1:  # cheap column check on every line
                        raise DataIntegrityError(f"{name} line {lineno}: expected {_COLUMNS} "
                                                 f"columns, found {line.count(',') + 1}")
                    chunk.append(line)
                    if len(chunk) == _CHUNK:
                        blocks.append(_parse_chunk(chunk, lineno - _CHUNK + 1, name))
                        chunk = []
            if chunk:
                blocks.append(_parse_chunk(chunk, lineno - len(chunk) + 1, name))
    except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise DataIntegrityError(f"{zip_path} is not a readable zip archive of text ({exc})") from None
    if lineno != expected_rows:
        raise DataIntegrityError(f"{name} in {zip_path} has {lineno} rows, expected {expected_rows}")
    data = np.concatenate(blocks) if blocks else np.empty((0, 13))
    if not np.isfinite(data).all():
        bad = int(np.argwhere(~np.isfinite(data))[0, 0]) + 1
        raise DataIntegrityError(f"{name} line {bad}: value is not a finite number")
    return data


def download_and_prepare(dest_dir=None, *, url=None, expected_rows=515_345, sample_rows=6_724, seed=0):
    """Download (or reuse) the UCI archive, check it and write ``dest_dir/millionsong.txt``.

    The archive is cached as ``dest_dir/YearPredictionMSD.zip``; its sha256 is recorded in
    ``YearPredictionMSD.zip.sha256`` on first use and must match on every later use.  The
    12 timbre averages are min-max scaled over all rows (a constant column maps to 0),
    then `sample_rows` rows are kept: a sorted ``default_rng(seed)`` sample, so the
    archive order is kept.  A note ``millionsong.txt.source`` records where it came from.

    Returns
    -------
    pathlib.Path
        Path of the prepared ``millionsong.txt``.

    Examples
    --------
    ``download_and_prepare(sample_rows=1000)`` returns ``.../data/cache/millionsong.txt`` (it
    downloads 211 MB, so it is not run as a doctest; tests/test_datafiles.py serves a small
    archive on 127.0.0.1 instead).
    """
    if sample_rows < 1:
        raise ValueError(f"sample_rows must be at least 1, got {sample_rows}")
    url = _url(url)
    dest = Path(dest_dir) if dest_dir is not None else cache_dir()
    dest.mkdir(parents=True, exist_ok=True)
    zip_path, sum_path = dest / ZIP_NAME, dest / (ZIP_NAME + ".sha256")
    fresh = not zip_path.is_file()
    if fresh:
        _download(url, zip_path)
    try:
        digest = _sha256(zip_path)
        if sum_path.is_file() and sum_path.read_text().split()[0] != digest:
            raise DataIntegrityError(
                f"{zip_path} has sha256 {digest}, but {sum_path} records {sum_path.read_text().split()[0]}. "
                f"If the source was deliberately updated, delete both files and run again.")
        data = _read_archive(zip_path, expected_rows)
    except DataIntegrityError:
        if fresh:  # do not keep an archive we just rejected: the next run fetches a new copy
            zip_path.unlink()
        raise
    if not sum_path.is_file():
        _atomic_write(sum_path, [f"{digest}  {ZIP_NAME}\n"])  # `sha256sum -c` format

    years, features = data[:, 0], data[:, 1:13]
    low, span = features.min(axis=0), np.ptp(features, axis=0)
    scaled = np.where(span > 0, (features - low) / np.where(span > 0, span, 1.0), 0.0)
    n = len(data)
    keep = np.arange(n) if sample_rows >= n else np.sort(
        np.random.default_rng(seed).choice(n, size=sample_rows, replace=False))
    out = dest / MILLIONSONG
    # repr is the shortest text that reads back as the same float: full precision, no noise digits.
    _atomic_write(out, (f"{years[i]:.1f}," + ",".join(map(repr, scaled[i].tolist())) + "\n" for i in keep))
    _atomic_write(dest / (MILLIONSONG + ".source"), [
        f"url: {url}\nsha256 of {ZIP_NAME}: {digest}\nrows: {n}\nsample_rows: {len(keep)}\nseed: {seed}\n"])
    validate_millionsong(out)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m helpers.datafiles", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="locate", choices=["locate", "prepare"],
                        help="print the path of millionsong.txt, downloading it if needed (both the same)")
    parser.parse_args(argv)
    try:
        print(locate_millionsong())
    except (DataNotFoundError, DataIntegrityError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
