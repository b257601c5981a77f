"""Shipped cloud offers, entry by entry: the spec errors of issue 19 cannot come back."""

from __future__ import annotations

import pytest

from dlplanner.domain.parts import CloudOffer
from dlplanner.io.catalog_files import load_catalog

OFFERS = [
    p
    for p in load_catalog(user_dirs=[], cache=False).catalog.of_kind("cloud")
    if isinstance(p, CloudOffer)
]
SHAPED = {"AWS", "Google Cloud", "Microsoft Azure", "Lambda"}
"""Clouds whose price feeds give each instance's vCPUs and RAM."""
REGIONAL = SHAPED | {"RunPod", "vast.ai"}
"""Clouds whose price feeds price an instance per region."""
RAM_IS_VRAM_FOR_REAL = {
    "aws-g4dn-xlarge": "16 GiB RAM, one 16 GB T4 (aws.amazon.com/ec2/instance-types/g4/)",
}
"""Offers whose RAM really equals their total VRAM, with the page that says so."""


def ids(offer):
    return offer.id


@pytest.mark.parametrize("offer", OFFERS, ids=ids)
def test_ram_is_not_vram(offer: CloudOffer):
    if offer.ram_gb is None or offer.vram_gb is None or offer.id in RAM_IS_VRAM_FOR_REAL:
        return
    assert abs(offer.ram_gb - offer.vram_gb * offer.gpu_count) > 0.5, (
        f"RAM {offer.ram_gb} GB equals the VRAM: a placeholder, not the instance's memory"
    )


@pytest.mark.parametrize("offer", [o for o in OFFERS if o.provider in SHAPED], ids=ids)
def test_vcpus_and_ram_present(offer: CloudOffer):
    assert offer.vcpus is not None and offer.ram_gb is not None


@pytest.mark.parametrize("offer", [o for o in OFFERS if o.provider in REGIONAL], ids=ids)
def test_region_present(offer: CloudOffer):
    assert offer.region


@pytest.mark.parametrize("offer", OFFERS, ids=ids)
def test_spot_below_on_demand(offer: CloudOffer):
    if offer.spot_usd_per_hour is not None:
        assert offer.price_usd is not None and offer.spot_usd_per_hour < offer.price_usd


def test_placeholder_clouds_carry_no_request_sizes():
    for offer in OFFERS:
        if offer.provider in {"RunPod", "vast.ai"}:
            assert offer.vcpus is None and offer.ram_gb is None, offer.id
