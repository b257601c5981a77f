"""The answer in one sentence, with the equal-work figure beside the equal-hours one."""

from __future__ import annotations

from pathlib import Path

import yaml

from dlplanner.domain.costs import compare_costs
from dlplanner.io.buildfile import load_build, loads_build
from dlplanner.io.catalog_files import load_catalog
from dlplanner.report.text import NO_GPUS, cost_sentence

ROOT = Path(__file__).parents[3]
EXAMPLES = ROOT / "resources" / "examples"
CATALOG = load_catalog(user_dirs=[]).catalog


def test_the_article_in_one_sentence():
    build = load_build(EXAMPLES / "article-2019-scalable.dlbuild.yaml")
    comparison = compare_costs(build, CATALOG)
    first = comparison.options[0]
    work = comparison.equal_work_of(first)
    assert work is not None and work.ratio is not None
    assert 1 < work.ratio < first.ratio  # a GTX 1080 Ti hour is not a V100 hour
    assert cost_sentence(comparison) == (
        "Building is 15.6× cheaper than AWS p3.2xlarge on demand over 12 months at 100 % use "
        f"({work.ratio:.1f}× for equal work); it pays for itself after 1.9 months."
    )


def test_equal_work_stands_beside_equal_hours_even_when_the_table_shows_hours_only():
    for path in sorted(EXAMPLES.glob("*.dlbuild.yaml")):
        comparison = compare_costs(load_build(path), CATALOG)
        assert comparison.assumptions.normalize == "none"
        sentence = cost_sentence(comparison)
        assert "for equal work" in sentence, sentence
        assert all(o.basis == "equal-hours" for o in comparison.options)


def test_renting_cheaper_is_said_so():
    build = load_build(EXAMPLES / "budget-single-gpu.dlbuild.yaml")
    sentence = cost_sentence(compare_costs(build, CATALOG))
    assert sentence.startswith("Renting vast.ai") and "cheaper than building" in sentence
    assert "does not pay for itself within 36 months" in sentence


def new_build(path: Path):
    """An example with no cloud offers named and default assumptions: a new build."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["compare"], doc["assumptions"] = [], {}
    return loads_build(yaml.safe_dump(doc))


def test_a_new_build_compares_the_nearest_aws_offer_and_the_cheapest_marketplace():
    four = compare_costs(new_build(EXAMPLES / "what-not-to-do-4x-rtx-4090.dlbuild.yaml"), CATALOG)
    offers = [o.choice.offer for o in four.options]
    assert [o.provider for o in offers] == ["AWS", "vast.ai"]
    assert offers[0].gpu_count == 4 and offers[0].id == "aws-g6e-12xlarge"  # L40S ≈ RTX 4090
    assert {o.plan for o in four.options} == {"on-demand"}
    one = compare_costs(new_build(EXAMPLES / "budget-single-gpu.dlbuild.yaml"), CATALOG)
    assert [o.choice.offer.gpu_count for o in one.options] == [1, 1]
    assert "at 100 % use" in cost_sentence(one)


def test_no_gpus_is_said_plainly():
    build = loads_build(
        "format: dlplanner-build\nformat_version: 1\nitems:\n  - part: amd-ryzen-9-9950x\n"
    )
    comparison = compare_costs(build, CATALOG)
    assert comparison.no_gpus and comparison.options == ()
    assert cost_sentence(comparison) == NO_GPUS
