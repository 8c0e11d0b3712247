"""Tests for helpers/datafiles.py: a fake UCI archive served from localhost, no internet."""
import hashlib
import http.server
import io
import os
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from helpers import datafiles as df
from helpers.datafiles import DataIntegrityError, DataNotFoundError

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "millionsong.txt"  # CI: ../shared
ROWS = 50


def make_table(rows=ROWS, cols=91, seed=1):
    """Fake YearPredictionMSD rows: integer years 1950..2010, then cols-1 features.

    Column 3 of the 12 averages is constant, to check that it maps to 0."""
    rng = np.random.default_rng(seed)
    table = rng.normal(scale=50.0, size=(rows, cols))
    table[:, 0] = rng.integers(1950, 2011, size=rows)
    table[:, 3] = 7.25
    return table


def table_text(table):
    return "".join(f"{int(r[0])}," + ",".join(f"{x:.6f}" for x in r[1:]) + "\n" for r in table)


def make_zip(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


def expected_scaled(table):
    """Independent min-max scaling of the 12 averages (constant column -> 0)."""
    x = table[:, 1:13]
    lo, hi = x.min(axis=0), x.max(axis=0)
    out = np.zeros_like(x)
    ok = hi > lo
    out[:, ok] = (x[:, ok] - lo[ok]) / (hi[ok] - lo[ok])
    return out


@pytest.fixture
def table():
    # What the archive holds after the text round trip (features written with 6 decimals).
    return np.loadtxt(io.StringIO(table_text(make_table())), delimiter=",")


@pytest.fixture
def server():
    """Serve state['body'] at any path on 127.0.0.1; count the requests."""
    state = {"body": make_zip({"YearPredictionMSD.txt": table_text(make_table())}), "requests": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state["requests"] += 1
            self.send_response(200)
            self.send_header("Content-Length", str(len(state["body"])))
            self.end_headers()
            self.wfile.write(state["body"])

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{httpd.server_address[1]}/yearpredictionmsd.zip"
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("DISTML_CACHE_DIR", str(d))
    monkeypatch.delenv("DISTML_DATA_DIR", raising=False)
    monkeypatch.delenv("DISTML_DATA_URL", raising=False)
    return d


@pytest.fixture
def closed_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/yearpredictionmsd.zip"  # nothing listens there now


def read_out(path):
    return np.loadtxt(path, delimiter=",", ndmin=2)


def source_rows(out, table):
    """Index in `table` of each output row, matched on its scaled features."""
    scaled = expected_scaled(table)
    idx = []
    for row in out:
        hits = np.flatnonzero(np.all(np.isclose(scaled, row[1:], rtol=1e-12, atol=1e-15), axis=1))
        assert len(hits) == 1, f"output row {row} matches source rows {hits}"
        idx.append(hits[0])
    return np.array(idx)


def test_exceptions_are_the_documented_kinds():
    assert issubclass(DataNotFoundError, FileNotFoundError)
    assert issubclass(DataIntegrityError, ValueError)
    assert set(df.__all__) >= {"MILLIONSONG", "UCI_URL", "DataNotFoundError", "DataIntegrityError",
                               "cache_dir", "locate_millionsong", "validate_millionsong",
                               "download_and_prepare"}


def test_cache_dir_order(tmp_path, monkeypatch):
    monkeypatch.setenv("DISTML_CACHE_DIR", str(tmp_path / "c"))
    assert df.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("DISTML_CACHE_DIR")
    assert df.cache_dir() == REPO / "data" / "cache"  # the repo has a data/ folder
    monkeypatch.setattr(df, "_REPO", tmp_path / "no-repo")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert df.cache_dir() == tmp_path / "home" / ".cache" / "distml"


@pytest.mark.parametrize("sample", [20, 80])
def test_prepare_scales_samples_and_keeps_years(cache, server, table, sample):
    path = df.download_and_prepare(cache, url=server["url"], expected_rows=ROWS, sample_rows=sample)
    assert path == cache / "millionsong.txt"
    n = min(sample, ROWS)
    assert df.validate_millionsong(path) == n
    out = read_out(path)
    assert out.shape == (n, 13)
    assert out[:, 1:].min() >= 0 and out[:, 1:].max() <= 1
    assert np.all(out[:, 3] == 0)  # the constant column
    idx = source_rows(out, table)
    assert np.all(np.diff(idx) > 0)  # distinct rows, archive order kept
    np.testing.assert_array_equal(out[:, 0], table[idx, 0])
    if sample >= ROWS:
        np.testing.assert_array_equal(idx, np.arange(ROWS))
    # Scaling is over ALL rows, not the sample: some sampled column reaches neither 0 nor 1
    # unless the full-range rows were sampled, so compare against the full-table scaling.
    np.testing.assert_allclose(out[:, 1:], expected_scaled(table)[idx], rtol=1e-12, atol=1e-15)
    first = path.read_text().splitlines()[0]
    assert first.startswith(f"{table[idx[0], 0]:.1f},")
    digest = (cache / "YearPredictionMSD.zip.sha256").read_text().split()[0]
    assert digest == hashlib.sha256(server["body"]).hexdigest()
    note = (cache / "millionsong.txt.source").read_text()
    assert server["url"] in note and digest in note and "seed: 0" in note


def test_scaling_uses_all_rows_not_just_the_sample(cache, server, table):
    # With only 5 of 50 rows kept, per-sample scaling would put 0 and 1 in every column.
    out = read_out(df.download_and_prepare(cache, url=server["url"], expected_rows=ROWS, sample_rows=5))
    cols = [c for c in range(1, 13) if c != 3]
    assert not all(out[:, c].min() == 0 and out[:, c].max() == 1 for c in cols)


def test_deterministic_and_seeded(tmp_path, cache, server):
    a = df.download_and_prepare(tmp_path / "a", url=server["url"], expected_rows=ROWS, sample_rows=20)
    b = df.download_and_prepare(tmp_path / "b", url=server["url"], expected_rows=ROWS, sample_rows=20)
    c = df.download_and_prepare(tmp_path / "c", url=server["url"], expected_rows=ROWS, sample_rows=20, seed=1)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()  # the seed matters: not simply the first rows


def test_url_from_environment_and_no_second_download(cache, server, monkeypatch):
    monkeypatch.setenv("DISTML_DATA_URL", server["url"])
    df.download_and_prepare(cache, expected_rows=ROWS, sample_rows=10)
    assert server["requests"] == 1
    (cache / "millionsong.txt").unlink()
    df.download_and_prepare(cache, expected_rows=ROWS, sample_rows=10)  # cached zip reused
    assert server["requests"] == 1
    assert df.locate_millionsong(expected_rows=ROWS) == cache / "millionsong.txt"
    assert server["requests"] == 1


def test_changed_archive_against_recorded_checksum(cache, server, table):
    df.download_and_prepare(cache, url=server["url"], expected_rows=ROWS)
    # The upstream file changes and the cached copy is gone: the re-download must not pass.
    (cache / "YearPredictionMSD.zip").unlink()
    server["body"] = make_zip({"YearPredictionMSD.txt": table_text(make_table(seed=2))})
    with pytest.raises(DataIntegrityError, match="sha256"):
        df.download_and_prepare(cache, url=server["url"], expected_rows=ROWS)
    assert server["requests"] == 2
    # A cached archive that was swapped on disk is caught as well.
    (cache / "YearPredictionMSD.zip").write_bytes(server["body"])
    with pytest.raises(DataIntegrityError, match="sha256"):
        df.download_and_prepare(cache, url=server["url"], expected_rows=ROWS)


def bad_archive(server, body, cache, match):
    server["body"] = body
    with pytest.raises(DataIntegrityError, match=match):
        df.download_and_prepare(cache, url=server["url"], expected_rows=ROWS)
    # A rejected archive is neither kept nor has its checksum recorded.
    assert not (cache / "YearPredictionMSD.zip").exists()
    assert not (cache / "YearPredictionMSD.zip.sha256").exists()
    assert not (cache / "millionsong.txt").exists()


def test_wrong_column_count(cache, server):
    bad_archive(server, make_zip({"YearPredictionMSD.txt": table_text(make_table(cols=90))}),
                cache, "line 1: expected 91 columns, found 90")


def test_one_short_line_is_named(cache, server):
    lines = table_text(make_table()).splitlines(keepends=True)
    lines[16] = lines[16].rsplit(",", 1)[0] + "\n"
    bad_archive(server, make_zip({"YearPredictionMSD.txt": "".join(lines)}), cache, "line 17")


def test_non_numeric_value_is_named(cache, server):
    lines = table_text(make_table()).splitlines(keepends=True)
    fields = lines[29].rstrip("\n").split(",")
    fields[5] = "abc"  # still 91 columns
    lines[29] = ",".join(fields) + "\n"
    bad_archive(server, make_zip({"YearPredictionMSD.txt": "".join(lines)}), cache, "line 30")


def test_wrong_row_count(cache, server):
    with pytest.raises(DataIntegrityError, match=r"50 rows, expected 51"):
        df.download_and_prepare(cache, url=server["url"], expected_rows=ROWS + 1)


@pytest.mark.parametrize("body, match", [
    (make_zip({"YearPredictionMSD.txt": table_text(make_table()), "extra.txt": "x\n"}), "exactly one"),
    (make_zip({"YearPredictionMSD.csv": table_text(make_table())}), "exactly one .txt"),
    (b"<html>this is not a zip</html>" * 100, "not a readable zip"),
], ids=["two-members", "not-txt", "not-a-zip"])
def test_bad_archive_shapes(cache, server, body, match):
    bad_archive(server, body, cache, match)


def test_unreachable_server_without_cache(cache, closed_url):
    with pytest.raises(DataNotFoundError) as err:
        df.locate_millionsong(url=closed_url)
    msg = str(err.value)
    for part in ("millionsong.txt", str(cache), "DISTML_DATA_DIR", closed_url):
        assert part in msg


def test_no_download_means_no_request(cache, server):
    with pytest.raises(DataNotFoundError, match="DISTML_DATA_DIR"):
        df.locate_millionsong(download=False, url=server["url"])
    assert server["requests"] == 0


def test_locate_downloads_into_cache(cache, server):
    path = df.locate_millionsong(url=server["url"], expected_rows=ROWS)
    assert path == cache / "millionsong.txt" and df.validate_millionsong(path) == ROWS
    assert server["requests"] == 1


def write_valid(path, rows=5):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{1990 + i}.0," + ",".join(["0.5"] * 11) + ",1.0000000001\n"
                            for i in range(rows)))
    return path


def test_data_dir_set_but_empty_does_not_fall_through(tmp_path, cache, monkeypatch, server):
    write_valid(cache / "millionsong.txt")  # would be found if the lookup fell through
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("DISTML_DATA_DIR", str(empty))
    with pytest.raises(DataNotFoundError, match=str(empty)):
        df.locate_millionsong(url=server["url"])
    assert server["requests"] == 0


def test_data_dir_wins(tmp_path, cache, monkeypatch):
    write_valid(cache / "millionsong.txt")
    path = write_valid(tmp_path / "d" / "millionsong.txt", rows=3)
    monkeypatch.setenv("DISTML_DATA_DIR", str(path.parent))
    assert df.locate_millionsong(download=False) == path


@pytest.mark.skipif(not SHARED.is_file(), reason="shared millionsong.txt not present")
def test_shared_copy(cache, monkeypatch):
    monkeypatch.setenv("DISTML_DATA_DIR", str(SHARED.parent))
    path = df.locate_millionsong(download=False)
    assert path == SHARED
    assert df.validate_millionsong(path) == 6724


@pytest.mark.parametrize("line, match", [
    ("2001.0," + ",".join(["0.5"] * 11), "expected 13 comma-separated fields, found 12"),
    ("2001.0,abc," + ",".join(["0.5"] * 11), "non-numeric"),
    ("2001.0,0.5,1.5," + ",".join(["0.5"] * 10), "f1 = '1.5' is outside"),
    ("2001.0,-0.01," + ",".join(["0.5"] * 11), "f0 = '-0.01' is outside"),
    ("2001.0,nan," + ",".join(["0.5"] * 11), "outside"),
    ("1800.0," + ",".join(["0.5"] * 12), "year"),
    ("2001.5," + ",".join(["0.5"] * 12), "year"),
    ("", "found 1"),
])
def test_validate_names_the_bad_line(tmp_path, line, match):
    path = write_valid(tmp_path / "millionsong.txt")
    lines = path.read_text().splitlines()
    lines[2] = line
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataIntegrityError, match=match) as err:
        df.validate_millionsong(path)
    assert "line 3" in str(err.value)


def test_validate_accepts_good_and_rejects_empty(tmp_path):
    assert df.validate_millionsong(write_valid(tmp_path / "ok.txt", rows=7)) == 7
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(DataIntegrityError, match="empty"):
        df.validate_millionsong(tmp_path / "empty.txt")


def run_cli(env_updates, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISTML_")}
    env.update(env_updates)
    return subprocess.run([sys.executable, "-m", "helpers.datafiles", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)


def test_cli_locate_success(tmp_path):
    path = write_valid(tmp_path / "d" / "millionsong.txt")
    for args in [("locate",), ("prepare",), ()]:
        res = run_cli({"DISTML_DATA_DIR": str(path.parent)}, *args)
        assert res.returncode == 0, res.stderr
        assert res.stdout.strip() == str(path)


def test_cli_locate_failures(tmp_path, closed_url):
    empty = tmp_path / "empty"
    empty.mkdir()
    res = run_cli({"DISTML_DATA_DIR": str(empty)}, "locate")
    assert res.returncode == 1 and res.stdout == ""
    assert str(empty) in res.stderr and "Traceback" not in res.stderr

    res = run_cli({"DISTML_CACHE_DIR": str(tmp_path / "c"), "DISTML_DATA_URL": closed_url}, "locate")
    assert res.returncode == 1 and res.stdout == ""
    assert "millionsong.txt" in res.stderr and "DISTML_DATA_DIR" in res.stderr
    assert "Traceback" not in res.stderr

    bad = tmp_path / "bad"
    (bad / "millionsong.txt").parent.mkdir()
    (bad / "millionsong.txt").write_text("1,2,3\n")
    res = run_cli({"DISTML_DATA_DIR": str(bad)}, "locate")
    assert res.returncode == 1 and "line 1" in res.stderr and "Traceback" not in res.stderr
