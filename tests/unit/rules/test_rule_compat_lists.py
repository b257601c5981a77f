"""Partial lists give *unknown*, complete lists an error: one test per affected rule.

Also the socket families that share a cooler mounting, the rules of issue 13 item 6
(cooler capacity, the CPU's memory speed, the GPU maker's PSU figure, card thickness, BIOS
data) and hints that read as English.
"""

from __future__ import annotations

from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import findings, make, variant, with_parts

TR_PRO = {"cpu": "tr-pro-5975wx", "board": "wrx80-sage", "memory": "ddr4-128gb-4x32-rdimm"}


def one(build, rule, catalog):
    got = findings(build, rule, catalog=catalog)
    assert len(got) == 1, got
    return got[0]


def test_cooler_socket_partial_list_is_unknown_complete_is_error():
    partial = variant("nh-d15", "d15-partial", complete=[])
    f = one(make(cooler="d15-partial"), "cooler-socket", with_parts(partial))
    assert f.status is Status.UNKNOWN and f.severity is Severity.WARNING
    assert "partial list (sockets)" in f.message and "AM4, AM5" in f.message
    f = one(make(cooler="nh-d15"), "cooler-socket", None)
    assert f.status is Status.FAIL and f.severity is Severity.ERROR


def test_cooler_socket_shared_mountings():
    # a TR4/SP3 cooler on sWRX8 (Threadripper PRO): the same mounting, as Noctua and AMD say
    assert findings(make(**TR_PRO), "cooler-socket") == []
    # an AM4-only cooler on AM5
    am4 = variant("nh-d15", "am4-only", sockets=["AM4"], complete=["sockets"])
    ryzen7000 = variant("ryzen-5-5600x", "am5-cpu", socket="AM5")
    catalog = with_parts(am4, ryzen7000)
    assert findings(make(cpu="am5-cpu", board=None, cooler="am4-only"), "cooler-socket",
                    catalog=catalog) == []  # fmt: skip
    # no source says sTR5 takes TR4 mountings: a TR4-only cooler on sTR5 is an error only
    # when its list is complete, otherwise unknown
    tr7000 = variant("tr-1920x", "tr-7960x", socket="sTR5")
    catalog = with_parts(tr7000, variant("nh-u14s-tr4", "tr4-partial", complete=[]))
    f = one(make(cpu="tr-7960x", board=None, cooler="tr4-partial"), "cooler-socket", catalog)
    assert f.status is Status.UNKNOWN
    f = one(make(cpu="tr-7960x", board=None), "cooler-socket", catalog)
    assert f.status is Status.FAIL


def test_case_motherboard_partial_list_is_unknown():
    partial = variant("corsair-4000d", "4000d-partial", complete=[])
    f = one(make(case="4000d-partial", **TR_PRO, cooler=None), "case-motherboard",
            with_parts(partial))  # fmt: skip
    assert f.status is Status.UNKNOWN and "EEB boards" in f.message
    assert "motherboard_form_factors" in f.message
    f = one(make(case="corsair-4000d", **TR_PRO, cooler=None), "case-motherboard", None)
    assert f.status is Status.FAIL and f.severity is Severity.ERROR


def test_psu_form_factor_partial_list_is_unknown():
    partial = variant("nr200", "nr200-partial", complete=[])
    got = findings(make(case="nr200-partial"), "psu-fit", catalog=with_parts(partial))
    [f] = [f for f in got if f.key == "form-factor"]
    assert f.status is Status.UNKNOWN and "psu_form_factors" in f.message
    [f] = [f for f in findings(make(case="nr200"), "psu-fit") if f.key == "form-factor"]
    assert f.status is Status.FAIL and f.severity is Severity.ERROR
    assert "an SFX and SFX-L power supply" in f.hint


def test_memory_type_partial_cpu_list_is_unknown():
    ddr5_cpu = variant("tr-1920x", "cpu-partial", memory_types=["DDR4"], complete=[])
    board = variant("x399-taichi", "board-untyped", memory_type=None)
    catalog = with_parts(ddr5_cpu, board)
    build = make(cpu="cpu-partial", board="board-untyped", memory="ddr5-64gb-2x32-6000")
    [f] = [f for f in findings(build, "memory-type", catalog=catalog) if f.key.startswith("ddr")]
    assert f.status is Status.UNKNOWN and "partial list (memory_types)" in f.message
    complete = variant("tr-1920x", "cpu-partial", memory_types=["DDR4"], complete=["memory_types"])
    catalog = with_parts(complete, board)
    fails = [f for f in findings(build, "memory-type", catalog=catalog) if f.key.startswith("ddr")]
    assert [f.status for f in fails] == [Status.FAIL]


def test_dimm_partial_list_is_unknown():
    partial = variant("x399-taichi", "taichi-partial", complete=[])
    build = make(board="taichi-partial", memory="ddr4-128gb-4x32-rdimm")
    board_findings = [
        f for f in findings(build, "memory-type", catalog=with_parts(partial))
        if f.key.endswith(":motherboard")
    ]  # fmt: skip
    assert [f.status for f in board_findings] == [Status.UNKNOWN]
    assert "partial list (dimm_types)" in board_findings[0].message
    build = make(memory="ddr4-128gb-4x32-rdimm")
    complete = [f for f in findings(build, "memory-type") if f.key.endswith(":motherboard")]
    assert [f.status for f in complete] == [Status.FAIL]


def test_bios_minimum_without_bios_data_says_not_checked():
    f = one(make(cpu="i5-12400", board="z690-board", memory="ddr4-16gb-2x8-4000",
                 cooler="nh-d15"), "bios-minimum", None)  # fmt: skip
    assert f.status is Status.UNKNOWN and "min_bios" in f.message
    assert f.severity is Severity.INFO


def test_cooler_capacity():
    assert findings(make(), "cooler-capacity") == []
    weak = variant("nh-u14s-tr4", "weak-cooler", tdp_rating_w=150)
    f = one(make(cooler="weak-cooler"), "cooler-capacity", with_parts(weak))
    assert f.status is Status.FAIL and "150 W" in f.message and "180 W" in f.message
    unrated = variant("nh-u14s-tr4", "unrated", tdp_rating_w=None)
    f = one(make(cooler="unrated"), "cooler-capacity", with_parts(unrated))
    assert f.status is Status.UNKNOWN and "tdp_rating_w" in f.message


def test_memory_speed_reads_the_cpu_rating():
    slow_cpu = variant("tr-1920x", "slow-cpu", memory_max_speed_mts=2666)
    f = one(make(cpu="slow-cpu"), "memory-speed", with_parts(slow_cpu))
    assert f.status is Status.FAIL and "2666 MT/s" in f.message and "slow-cpu" in f.parts
    assert findings(make(), "memory-speed") == []  # 3200 on a 3600 board, CPU not rated


def test_gpu_maker_psu_second_opinion():
    rated = variant("rtx-4090-fe", "rtx-4090-rated", recommended_psu_w=850)
    catalog = with_parts(rated)
    assert findings(make(gpu="rtx-4090-rated"), "gpu-maker-psu", catalog=catalog) == []
    f = one(make(gpu="rtx-4090-rated", psu="msi-a1000g-pcie5", extra=["rtx-4090-fe"]),
            "gpu-maker-psu", catalog)  # fmt: skip
    assert f.status is Status.FAIL and "an 850 W" in f.message and "1300 W" in f.message
    # without the maker's figure the check is silent: psu-wattage still sizes the supply
    assert findings(make(gpu="rtx-4090-fe", psu="corsair-rm650"), "gpu-maker-psu") == []


def test_gpu_thickness_where_the_case_states_a_limit():
    assert findings(make(gpu="rtx-4090-fe"), "gpu-thickness") == []  # no limit stated
    thin = variant("carbide-air-540", "thin-case", max_gpu_slot_width=2.5)
    f = one(make(gpu="rtx-4090-fe", case="thin-case"), "gpu-thickness", with_parts(thin))
    assert f.status is Status.FAIL and f.severity is Severity.ERROR and "2.5 slots" in f.message
    assert findings(make(case="thin-case"), "gpu-thickness", catalog=with_parts(thin)) == []


def test_socket_hint_reads_as_english():
    f = one(make(cpu="ryzen-5-5600x", cooler=None), "cpu-socket", None)
    assert "Choose an AM4 motherboard" in f.hint
    f = one(make(cpu="i5-12400", cooler=None), "cpu-socket", None)
    assert "Choose an LGA1700 motherboard" in f.hint
