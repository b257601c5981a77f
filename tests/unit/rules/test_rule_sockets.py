"""cpu-socket, bios-minimum, cooler-socket, cooler-height, aio-radiator."""

from __future__ import annotations

from dlplanner.rules import Severity, Status
from tests.unit.rules.samples import findings, make


def only(build, rule):
    found = findings(build, rule)
    assert len(found) == 1, found
    return found[0]


# cpu-socket ------------------------------------------------------------------------------


def test_cpu_socket_passes_on_matching_socket():
    assert findings(make(), "cpu-socket") == []


def test_cpu_socket_fails_with_both_sockets_named():
    f = only(make(cpu="ryzen-5-5600x"), "cpu-socket")
    assert (f.severity, f.status) == (Severity.ERROR, Status.FAIL)
    assert "AM4" in f.message and "TR4" in f.message
    assert f.parts == ("ryzen-5-5600x", "x399-taichi")
    assert f.hint


def test_cpu_socket_decides_with_sparse_parts():
    # socket is a required field: sparse CPUs and boards are still checked
    assert findings(make(cpu="cpu-nodata", board="board-nodata"), "cpu-socket") == []
    assert only(make(cpu="ryzen-5-5600x", board="board-nodata"), "cpu-socket").status is Status.FAIL


# bios-minimum ----------------------------------------------------------------------------


def test_bios_minimum_silent_for_supported_family():
    assert findings(make(), "bios-minimum") == []


def test_bios_minimum_conditional_note_names_version():
    f = only(make(cpu="tr-2950x"), "bios-minimum")
    assert f.severity is Severity.INFO and f.status is Status.FAIL
    assert "P2.00" in f.message and "Ryzen Threadripper 2000" in f.message


def test_bios_minimum_unknown_without_cpu_family():
    f = only(make(cpu="cpu-nodata"), "bios-minimum")
    assert f.status is Status.UNKNOWN and "family" in f.message


# cooler-socket ---------------------------------------------------------------------------


def test_cooler_socket_passes_with_tr4_bracket():
    assert findings(make(), "cooler-socket") == []


def test_cooler_socket_fails_on_tr4():
    f = only(make(cooler="nh-d15"), "cooler-socket")
    assert f.severity is Severity.ERROR
    assert "TR4" in f.message and "LGA2066" in f.message


def test_cooler_socket_uses_board_socket_without_cpu():
    f = only(make(cpu=None, cooler="nh-d15"), "cooler-socket")
    assert "TR4" in f.message and f.parts == ("nh-d15", "x399-taichi")


# cooler-height ---------------------------------------------------------------------------


def test_cooler_height_passes():
    assert findings(make(), "cooler-height") == []


def test_cooler_height_fails_with_both_heights():
    f = only(make(case="compact-atx"), "cooler-height")
    assert f.severity is Severity.ERROR
    assert "165 mm" in f.message and "158 mm" in f.message


def test_cooler_height_unknown_without_height():
    f = only(make(cooler="cooler-nodata"), "cooler-height")
    assert f.status is Status.UNKNOWN and f.severity is Severity.WARNING
    assert "height_mm" in f.message


def test_cooler_height_ignores_aio():
    assert findings(make(cooler="liqtech-tr4-360", case="compact-atx"), "cooler-height") == []


# aio-radiator ----------------------------------------------------------------------------


def test_aio_radiator_passes_with_front_360_mount():
    assert findings(make(cooler="liqtech-tr4-360"), "aio-radiator") == []


def test_aio_radiator_fails_with_sizes():
    f = only(make(cooler="liqtech-tr4-360", case="compact-atx"), "aio-radiator")
    assert f.severity is Severity.ERROR
    assert "360 mm" in f.message and "front 280 mm" in f.message and "top 240 mm" in f.message


def test_aio_radiator_smaller_radiator_fits():
    assert findings(make(cooler="liqtech-tr4-240", case="compact-atx"), "aio-radiator") == []


def test_aio_radiator_unknown_without_data():
    assert "radiator_mm" in only(make(cooler="aio-nodata"), "aio-radiator").message
    f = only(make(cooler="liqtech-tr4-360", case="case-nodata"), "aio-radiator")
    assert f.status is Status.UNKNOWN and "radiator_mounts" in f.message
