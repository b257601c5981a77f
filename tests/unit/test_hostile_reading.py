"""Hostile catalogs and paths: bounded time, memory and output; warm starts with many files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dlplanner.io.catalog_cache import CatalogCache
from dlplanner.io.catalog_files import MAX_PROBLEMS_PER_FILE, load_catalog, read_catalog_file
from dlplanner.io.yamlsafe import LoadError, read_bytes
from tests.conftest import ROOT

HEADER = "format: dlplanner-catalog\nformat_version: 1\nkind: storage\nparts:\n"


def storage(i: int) -> str:
    return textwrap.dedent(
        f"""\
        - id: user-ssd-{i}
          brand: Acme
          name: Acme SSD {i}
          interface: nvme
          form_factor: m2-2280
          media: ssd
          capacity_gb: 1000
          price_usd: 99.5
          price_date: 2024-01-01
          sources: [https://example.com/{i}]
        """
    )


def peak_mb(code: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; return its peak resident memory and its stdout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # Linux carries the parent's high-water mark into a child's ru_maxrss across exec (the
    # test process may be 400 MB by now): the child's own VmHWM is what it used.
    peak = (
        "import re, resource\n"
        "try:\n"
        "    status = open('/proc/self/status').read()\n"
        "    print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
        "except OSError:\n"
        "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    wrapped = code + "\n" + peak
    out = subprocess.run(
        [sys.executable, "-c", wrapped], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    *lines, kib = out.stdout.strip().splitlines()
    return int(kib) / 1024, "\n".join(lines)


def test_a_megabyte_of_empty_entries_is_refused_quickly_in_one_line(tmp_path: Path):
    path = tmp_path / "empty.yaml"
    path.write_text(HEADER + "- {}\n" * ((1 << 20) // 5))  # the 1 MB file
    started = time.process_time()
    parts, problems = read_catalog_file(path)
    took = time.process_time() - started
    assert parts == [] and len(problems) == 1
    assert "209,715 entries; a catalog file may hold at most 10,000" in str(problems[0])
    assert took < 2.0, took  # was 6 s and 200 MB, and a million warning lines


def test_a_huge_catalog_stays_within_bounded_memory(tmp_path: Path):
    """The issue's 31 MB file grew past 5 GB; 12 MB is past the value limit just the same."""
    path = tmp_path / "huge.yaml"
    path.write_text(HEADER + "- {}\n" * ((12 << 20) // 5))
    peak, out = peak_mb(
        "from dlplanner.io.catalog_files import read_catalog_file\n"
        f"parts, problems = read_catalog_file({str(path)!r})\n"
        "print(len(parts), len(problems), problems[0])\n"
    )
    assert out.startswith("0 1 ") and "more than 1,000,000 entries and values" in out
    assert peak < 400, peak  # grew past 5 GB before


def test_problems_per_file_are_bounded_with_a_count_of_the_rest(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(HEADER + "- {id: x, capacity_gb: lots}\n" * 5000)
    parts, problems = read_catalog_file(path)
    assert parts == [] and len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].message.startswith("…and ") and "more problems in this file" in str(
        problems[-1]
    )


def test_cli_prints_bounded_warnings_for_a_hostile_user_catalog(tmp_path: Path):
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "bad.yaml").write_text(HEADER + "- {}\n" * 9000)
    (folder / "worse.yaml").write_text(HEADER + "- {id: x, capacity_gb: lots}\n" * 3000)
    env = dict(os.environ, PYTHONPATH=str(ROOT), DLPLANNER_CATALOG_DIRS=str(folder))
    out = subprocess.run(
        [sys.executable, "-m", "dlplanner", "catalog", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    warnings = [line for line in out.stderr.splitlines() if "warning" in line]
    assert 2 <= len(warnings) <= 2 * (MAX_PROBLEMS_PER_FILE + 1), len(warnings)


def test_warm_start_with_thousands_of_files_parses_none_and_is_quick(tmp_path: Path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(2000):
        (folder / f"f{i:05d}.yaml").write_text(HEADER + storage(i))
    cache = CatalogCache(tmp_path / "cache")
    first = load_catalog(user_dirs=[folder], cache=cache)
    assert first.problems == [] and "user-ssd-1999" in first.catalog
    parsed: list[Path] = []
    started = time.process_time()
    warm = load_catalog(user_dirs=[folder], cache=cache, on_parse=lambda p, n: parsed.append(p))
    took = time.process_time() - started
    assert parsed == []  # every clean file came from the cache (it kept 64 before)
    assert "user-ssd-1999" in warm.catalog and warm.problems == []
    assert took < 1.0, took  # 5,000 files cost 7.5 s before

    # One changed file is the only one parsed again.
    (folder / "f00007.yaml").write_text(HEADER + storage(7).replace("Acme SSD 7", "Acme SSD 7b"))
    again = load_catalog(user_dirs=[folder], cache=cache, on_parse=lambda p, n: parsed.append(p))
    assert [p.name for p in parsed] == ["f00007.yaml"]
    assert again.catalog.get("user-ssd-7").name == "Acme SSD 7b"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
@pytest.mark.parametrize("target", ["/proc/kmsg", "/proc/self/status", "/sys/kernel/uevent_seqnum"])
def test_proc_and_sys_files_are_refused_fast_through_a_link(tmp_path: Path, target: str):
    link = tmp_path / "b.dlbuild.yaml"
    link.symlink_to(target)
    started = time.monotonic()
    with pytest.raises(LoadError, match="not a regular file"):
        read_bytes(link)
    assert time.monotonic() - started < 0.5


@pytest.mark.skipif(not Path("/proc/kmsg").exists(), reason="needs /proc/kmsg")
def test_check_does_not_hang_on_a_link_to_proc_kmsg(tmp_path: Path):
    link = tmp_path / "b.dlbuild.yaml"
    link.symlink_to("/proc/kmsg")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-m", "dlplanner", "check", str(link)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and "not a regular file" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_an_unreadable_chunked_read_is_time_bounded(tmp_path: Path, monkeypatch):
    """A read that stalls (a hung network mount) gives up after READ_SECONDS."""
    from dlplanner.io import yamlsafe

    path = tmp_path / "slow.yaml"
    path.write_bytes(b"a: 1\n" * 400_000)
    real_read = os.read

    def slow_read(fd: int, n: int) -> bytes:
        time.sleep(0.05)
        return real_read(fd, min(n, 4096))

    monkeypatch.setattr(yamlsafe, "READ_SECONDS", 0.2)
    monkeypatch.setattr(yamlsafe.os, "read", slow_read)
    started = time.monotonic()
    with pytest.raises(LoadError, match="gave up"):
        read_bytes(path)
    assert time.monotonic() - started < 1.0
