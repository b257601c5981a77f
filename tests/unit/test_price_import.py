# ruff: noqa: E501  (rows in the clouds' own format are long)
"""Cloud price import: real-format SkyPilot vms.csv files and dlplanner's own price CSV.

Each file below is written in that cloud's own column order (as in
github.com/skypilot-org/skypilot-catalog catalogs/v7/<cloud>/vms.csv and v6/azure), with
GCP's separate host and GPU rows and RunPod's/vast.ai's placeholder vCPU, RAM and spot
values. The pure planning is tested on the rows; the command is tested through the real
entry point, and its result read back through ``catalog show`` and ``cost``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from dlplanner.domain.catalog import Catalog
from dlplanner.domain.price_import import gcp_parts, plan_own, plan_skypilot
from dlplanner.io.catalog_files import load_catalog
from dlplanner.io.price_files import parse_gpu_info, read_price_file
from dlplanner.io.price_overrides import plan_files
from dlplanner.io.yamlsafe import LoadError
from dlplanner.report.imports import import_lines, import_preview, rate

V100 = "\"{'Gpus': [{'Name': 'V100', 'Manufacturer': 'NVIDIA', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 16384}}], 'TotalGpuMemoryInMiB': 16384}\""
L40S4 = "\"{'Gpus': [{'Name': 'L40S', 'Manufacturer': 'NVIDIA', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 45776}}], 'TotalGpuMemoryInMiB': 45776}\""
INF = "\"{'Gpus': [{'Name': 'Inferentia2', 'Manufacturer': 'AWS', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 32768}}], 'TotalGpuMemoryInMiB': 32768}\""
A100 = "\"{'Gpus': [{'Name': 'A100', 'Manufacturer': 'NVIDIA', 'Count': 1.0, 'MemoryInfo': {'SizeInMiB': 40960}}], 'TotalGpuMemoryInMiB': 40960}\""
H100L = "\"{'Gpus': [{'Name': 'H100', 'Manufacturer': 'NVIDIA', 'Count': 8.0, 'MemoryInfo': {'SizeInMiB': 81920}}], 'TotalGpuMemoryInMiB': 81920}\""

FILES = {
    # AWS: InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone
    "aws": (
        "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone\n"
        f"p3.2xlarge,V100,1.0,8.0,61.0,{V100},3.06000,0.918000,us-east-1,use1-az1\n"
        f"p3.2xlarge,V100,1.0,8.0,61.0,{V100},3.06000,0.700000,us-east-1,use1-az2\n"
        f"p3.2xlarge,V100,1.0,8.0,61.0,{V100},3.06000,0.400000,us-east-1,use1-az4\n"
        f"p3.2xlarge,V100,1.0,8.0,61.0,{V100},3.06000,0.500000,us-west-2,usw2-az1\n"
        f"g6e.16xlarge,L40S,1.0,64.0,512.0,{L40S4},7.57,2.90000,us-east-1,use1-az1\n"
        f"g6e.xlarge,L40S,1.0,4.0,32.0,{L40S4},1.86100,0.90000,us-east-1,use1-az1\n"
        f"inf2.xlarge,Inferentia2,1.0,4.0,16.0,{INF},0.75860,0.30000,us-east-1,use1-az1\n"
        "m5.large,CPU-ONLY,0.0,2.0,8.0,,0.096000,0.0288000,us-east-1,use1-az1\n"
    ),
    # GCP: InstanceType,vCPUs,MemoryGiB,AcceleratorName,AcceleratorCount,GpuInfo,Region,AvailabilityZone,Price,SpotPrice
    "gcp": (
        "InstanceType,vCPUs,MemoryGiB,AcceleratorName,AcceleratorCount,GpuInfo,Region,AvailabilityZone,Price,SpotPrice\n"
        "a2-highgpu-1g,12.0,85.0,,,,us-central1,us-central1-a,0.73948,0.29576\n"
        "a2-highgpu-1g,12.0,85.0,,,,europe-west4,europe-west4-a,0.81406,0.31824\n"
        "a3-highgpu-8g,208.0,1872.0,,,,us-central1,us-central1-a,9.46006,2.17547\n"
        f",,,A100,1,{A100},us-central1,us-central1-a,2.93391,1.1472\n"
        f",,,A100,1,{A100},europe-west4,europe-west4-a,3.22,1.26\n"
        f",,,H100,8,{H100L},us-central1,us-central1-a,79.03,11.94\n"
        "n1-standard-8,8.0,30.0,,,,us-central1,us-central1-a,0.379998,0.08\n"
        f",,,V100,1,{V100},us-central1,us-central1-a,2.48,0.992\n"
        ",,,tpu-v6e-1,1,tpu-v6e-1,us-central1,us-central1-b,2.7,0.64833\n"
    ),
    # Azure (v6): InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,Generation
    "azure": (
        "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,Generation\n"
        f'Standard_NC6s_v3,V100,1,6,112,{V100},3.06,0.3978,eastus,"V1,V2"\n'
        f'Standard_NC6s_v3,V100,1,6,112,{V100},3.366,0.43758,westus2,"V1,V2"\n'
        'Standard_B1s,,,1.0,1,,0.0104,,eastus,"V1,V2"\n'
    ),
    # Lambda: InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice
    "lambda": (
        "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice\n"
        f"gpu_8x_h100_sxm5,H100,8.0,208.0,1800.0,31.92,us-east-1,{H100L},\n"
        f"gpu_8x_h100_sxm5,H100,8.0,208.0,1800.0,31.92,us-west-3,{H100L},\n"
        "gpu_1x_a10,A10,1.0,30.0,200.0,1.29,us-east-1,\"{'Gpus': [{'Name': 'A10', 'Manufacturer': 'NVIDIA', 'Count': 1.0, 'MemoryInfo': {'SizeInMiB': 24576}}], 'TotalGpuMemoryInMiB': 24576}\",\n"
        f"gpu_4x_h100_sxm5,H100,4.0,104.0,900.0,12.36,us-east-1,{H100L},\n"
        "cpu_4x_general,,,4.0,16.0,0.2,us-east-1,,\n"
    ),
    # RunPod: InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Region,SpotPrice,Price,AvailabilityZone
    "runpod": (
        "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Region,SpotPrice,Price,AvailabilityZone\n"
        "1x_RTX4090_SECURE,RTX4090,1.0,8.0,24.0,RTX4090,CA,0.59,0.59,CA-MTL-1\n"
        "1x_RTX4090_SECURE,RTX4090,1.0,8.0,24.0,RTX4090,US,0.59,0.59,US-TX-3\n"
        "1x_A40_SECURE,A40,1.0,8.0,48.0,A40,US,0.40,0.40,US-KS-2\n"
    ),
    # vast.ai: InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region
    "vast": (
        "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region\n"
        "1x-RTX_4090-32-65536,RTX4090,1,32,64,\"{'Gpus': [{'MemoryInfo': {'SizeInMiB': 24564}}]}\",0.35,0.35,\"Maryland, US, NA\"\n"
        "1x-RTX_4090-32-65536,RTX4090,1,32,64,\"{'Gpus': [{'MemoryInfo': {'SizeInMiB': 24564}}]}\",0.31,0.31,\"Sweden, SE, EU\"\n"
    ),
}

TODAY = dt.date(2026, 12, 1)


NOT_SHIPPED = {"aws-g6e-16xlarge", "lambda-gpu-4x-h100-sxm5", "runpod-1x-a40-secure"}
"""Offers the files below propose as new: taken out of the shipped catalog for these tests."""
PINNED = {"lambda-gpu-8x-h100-sxm5": 23.92}
"""Shipped prices the tests compare against, pinned so a catalog refresh cannot move them."""


@pytest.fixture(scope="module")
def catalog():
    """The shipped catalog, minus NOT_SHIPPED, with the PINNED prices (tests own their data)."""
    shipped = load_catalog(cache=False).catalog
    return Catalog(
        [
            p.model_copy(update={"price_usd": PINNED[p.id]}) if p.id in PINNED else p
            for p in shipped
            if p.id not in NOT_SHIPPED
        ]
    )


def write(tmp_path: Path, cloud: str, text: str | None = None) -> Path:
    path = tmp_path / cloud / "vms.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FILES[cloud] if text is None else text, encoding="utf-8")
    return path


def plan(catalog, tmp_path, cloud):
    pf = read_price_file(write(tmp_path, cloud))
    assert pf.provider == cloud
    return plan_skypilot(catalog, pf.vm_rows, cloud, TODAY, "https://example.org/vms.csv")


def changed(p):
    return {c.id: c for c in p.changes}


def test_aws_columns_region_median_spot_and_new_offers(catalog, tmp_path):
    p = plan(catalog, tmp_path, "aws")
    c = changed(p)["aws-p3-2xlarge"]
    assert c.new_price == 3.06
    assert c.new_spot == 0.7  # the median of the three us-east-1 zones, not us-west-2
    new = {o.id: o for o in p.new_offers}
    assert set(new) == {"aws-g6e-16xlarge"}  # not Inferentia, not a CPU-only host
    g6e = new["aws-g6e-16xlarge"]
    assert (g6e.vcpus, g6e.ram_gb, g6e.gpu_count, g6e.region) == (64, 512, 1, "us-east-1")
    assert g6e.gpu_model == "L40S" and g6e.throughput is not None  # from its sibling g6e.xlarge
    assert g6e.price_date == TODAY and g6e.price_source == "https://example.org/vms.csv"
    assert p.ignored == 2
    # offers the file does not list are skipped with the reason, never guessed
    reasons = {s.label: s.reason for s in p.skipped}
    assert "not in this file" in reasons["aws-p5-48xlarge"]


def test_the_dialogs_preview_says_where_the_entries_go(catalog, tmp_path):
    result = plan_files([write(tmp_path, "aws")], catalog, date=TODAY, directory=tmp_path / "out")
    count = len(result.overrides)
    head, blank, *lines = import_preview(result).splitlines()
    assert head == f"{count} entries will be written to {tmp_path / 'out'}" and count > 1
    assert blank == "" and lines == import_lines(result)
    nothing = replace(result, files=[])
    assert import_preview(nothing).startswith("Nothing to change: the catalog already has")


def test_gcp_price_is_host_plus_gpus(catalog, tmp_path):
    p = plan(catalog, tmp_path, "gcp")
    c = changed(p)
    assert c["gcp-a2-highgpu-1g"].new_price == pytest.approx(0.73948 + 2.93391)
    assert c["gcp-a2-highgpu-1g"].new_spot == pytest.approx(0.29576 + 1.1472)
    assert c["gcp-n1-standard-8-v100"].new_price == pytest.approx(0.379998 + 2.48)
    assert c["gcp-a3-highgpu-8g"].new_price == pytest.approx(9.46006 + 79.03)
    assert gcp_parts("n1-standard-8 + 1x nvidia-tesla-t4") == ("n1-standard-8", "T4", 1)
    assert gcp_parts("g2-standard-24") == ("g2-standard-24", "L4", 2)


def test_azure_and_lambda(catalog, tmp_path):
    assert changed(plan(catalog, tmp_path, "azure"))["azure-nc6s-v3"].new_price == 3.06
    p = plan(catalog, tmp_path, "lambda")
    c = changed(p)
    assert (c["lambda-gpu-8x-h100-sxm5"].old_price, c["lambda-gpu-8x-h100-sxm5"].new_price) == (
        23.92,
        31.92,
    )
    assert c["lambda-gpu-1x-a10"].new_price == 1.29
    new = {o.id: o for o in p.new_offers}
    assert new["lambda-gpu-4x-h100-sxm5"].gpu_model == "H100 SXM5"
    assert new["lambda-gpu-4x-h100-sxm5"].spot_usd_per_hour is None


def test_runpod_and_vast_placeholders_are_ignored(catalog, tmp_path):
    p = plan(catalog, tmp_path, "runpod")
    c = changed(p)["runpod-secure-rtx-4090"]
    assert c.new_price == 0.59
    assert c.new_spot is None  # the file's "spot" equals on-demand: a placeholder
    over = {o.id: o for o in p.overrides}
    assert over["runpod-secure-rtx-4090"].ram_gb == catalog.get("runpod-secure-rtx-4090").ram_gb
    a40 = {o.id: o for o in p.new_offers}["runpod-1x-a40-secure"]
    assert a40.vcpus is None and a40.ram_gb is None and a40.spot_usd_per_hour is None
    v = plan(catalog, tmp_path, "vast")
    vast = {o.id: o for o in v.overrides}["vastai-rtx-4090"]
    assert vast.price_usd == 0.31 and vast.region == "Sweden, SE, EU"
    assert vast.vcpus is None and vast.ram_gb is None


def test_gpu_info_is_a_literal_only(tmp_path):
    assert parse_gpu_info(V100.strip('"')) == (16.0, "NVIDIA")
    assert parse_gpu_info("RTX4090") == (None, None)
    with pytest.raises(ValueError):
        parse_gpu_info("{__import__('os').system('touch /tmp/x')}")
    hostile = FILES["aws"].replace(V100, "\"{'Gpus': [open('/etc/passwd').read()]}\"", 1)
    pf = read_price_file(write(tmp_path, "aws", hostile))
    assert pf.skipped[0].line == 2 and "literal" in pf.skipped[0].reason


def test_own_format(catalog, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,price_usd,spot_usd_per_hour,price_date,price_source\n"
        "aws-p3-2xlarge,2.90,0.5,2026-11-30,https://aws.amazon.com/ec2/pricing/on-demand/\n"
        "nvidia-geforce-gtx-1080-ti-fe,450,,,https://example.org/shop\n"
        "no-such-part,1.0,,,https://example.org\n"
        "aws-p3-8xlarge,12,13,,https://example.org\n"
        "aws-p3-16xlarge,abc,,,https://example.org\n",
        encoding="utf-8",
    )
    pf = read_price_file(path)
    p = plan_own(catalog, pf.own_rows, TODAY, None)
    p.skipped[:0] = pf.skipped
    c = changed(p)
    assert c["aws-p3-2xlarge"].new_date == dt.date(2026, 11, 30)
    assert c["nvidia-geforce-gtx-1080-ti-fe"].new_price == 450
    assert c["nvidia-geforce-gtx-1080-ti-fe"].new_date == TODAY
    reasons = " | ".join(str(s) for s in p.skipped)
    assert "no such id" in reasons and "not below on-demand" in reasons
    assert "not a number" in reasons


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"id;price\n1;2\n", "not a price file"),
        (b"\xff\xfe\xfa", "UTF-8"),
        (b'InstanceType,AcceleratorName,AcceleratorCount,Price,Region\n"p3,V100', "CSV"),
        (b"InstanceType,AcceleratorName,AcceleratorCount,Price,Region\np3,V100,1\n", "fields"),
        (b"InstanceType,AcceleratorName,AcceleratorCount,Price,Region\nx,V100,1,abc,r\n", "usable"),
    ],
)
def test_bad_files_are_refused_in_one_line(tmp_path, content, message):
    path = tmp_path / "aws" / "vms.csv"
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        read_price_file(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_provider_must_be_known(tmp_path):
    path = tmp_path / "vms.csv"
    path.write_text(FILES["aws"], encoding="utf-8")
    with pytest.raises(LoadError, match="--provider"):
        read_price_file(path)
    assert read_price_file(path, "aws").provider == "aws"


# --- through the real command line ------------------------------------------------------


def dlp(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dlplanner", *args], capture_output=True, text=True, timeout=120
    )


def test_command_dry_run_write_idempotent_and_restore(tmp_path):
    # A price the shipped catalog does not have, so the import always changes it.
    lam = write(tmp_path, "lambda", FILES["lambda"].replace(",31.92,", ",34.56,"))
    gcp = write(tmp_path, "gcp")
    shipped = load_catalog(user_dirs=[], cache=False).catalog.get("lambda-gpu-8x-h100-sxm5")
    assert shipped.price_usd != 34.56
    args = ["prices", "import", str(lam), str(gcp), "--date", "2026-11-15"]
    user = Path(__import__("os").environ["XDG_DATA_HOME"]) / "dlplanner" / "catalog"
    dry = dlp(*args, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"lambda-gpu-8x-h100-sxm5: {rate(shipped.price_usd)} -> $34.56" in dry.stdout
    assert "lambda-gpu-4x-h100-sxm5" in dry.stdout and "skipped" in dry.stdout
    assert "nothing written" in dry.stdout and not user.exists()

    out = dlp(*args, "--source", "https://github.com/skypilot-org/skypilot-catalog")
    assert out.returncode == 0, out.stderr
    written = user / "imported-prices-cloud.yaml"
    assert written.is_file()
    shown = json.loads(dlp("catalog", "show", "lambda-gpu-8x-h100-sxm5", "--json").stdout)
    assert shown["price_usd"] == 34.56 and shown["price_date"] == "2026-11-15"
    assert shown["price_source"] == "https://github.com/skypilot-org/skypilot-catalog"
    cost = dlp(
        "cost",
        "--build-cost",
        "3000",
        "--gpus",
        "8",
        "--cloud",
        "lambda-gpu-8x-h100-sxm5",
        "--plans",
        "on-demand",
        "--utilization",
        "1",
        "--months",
        "1",
        "--json",
    )
    assert cost.returncode == 0, cost.stderr
    option = json.loads(cost.stdout)["cloud"][0]
    assert option["total_usd"] == pytest.approx(34.56 * 730, rel=1e-6)

    before = written.read_bytes()
    again = dlp(*args, "--source", "https://github.com/skypilot-org/skypilot-catalog")
    assert again.returncode == 0 and "nothing to change" in again.stdout
    assert written.read_bytes() == before

    written.unlink()
    shown = json.loads(dlp("catalog", "show", "lambda-gpu-8x-h100-sxm5", "--json").stdout)
    assert shown["price_usd"] == shipped.price_usd


@pytest.mark.parametrize(
    "args",
    [
        ["--date", "2026-13-01"],
        ["--source", "javascript:alert(1)"],
        ["--provider", "ibm"],
    ],
)
def test_command_bad_options(tmp_path, args):
    out = dlp("prices", "import", str(write(tmp_path, "aws")), *args)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1


def test_command_hostile_file_writes_nothing(tmp_path):
    good = write(tmp_path, "lambda")
    bad = tmp_path / "aws" / "vms.csv"
    bad.parent.mkdir()
    bad.write_bytes(b"\x00" * 100)
    out = dlp("prices", "import", str(good), str(bad))
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    user = Path(__import__("os").environ["XDG_DATA_HOME"]) / "dlplanner" / "catalog"
    assert not user.exists()
