"""Desktop integration: the shipped files are valid, and install/uninstall in an XDG home."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dlplanner.cli import main
from dlplanner.io import desktop_files, resources
from dlplanner.io.desktop_files import APP_ID, MIME_ICON, MIME_TYPE, quote_exec_arg

MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
needs = {
    tool: pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed")
    for tool in ("desktop-file-validate", "update-mime-database", "update-desktop-database")
}


def _validate_desktop(path: Path) -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def _entry(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(text)
    return parser


@needs["desktop-file-validate"]
def test_the_shipped_desktop_entry_validates():
    _validate_desktop(resources.desktop_dir() / f"{APP_ID}.desktop")


def test_the_desktop_entry_names_the_type_and_icon():
    entry = _entry((resources.desktop_dir() / f"{APP_ID}.desktop").read_text())["Desktop Entry"]
    assert entry["Icon"] == "dlplanner"
    assert entry["MimeType"].split(";")[:1] == [MIME_TYPE]
    assert entry["Exec"] == "dlplanner %f"  # one file: the app holds one build per window
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"


def test_the_mime_type_follows_the_shared_mime_info_schema():
    root = ET.parse(resources.desktop_dir() / f"{APP_ID}.xml").getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    (mime,) = root
    assert mime.tag == f"{MIME_NS}mime-type" and mime.get("type") == MIME_TYPE
    allowed = {"comment", "acronym", "expanded-acronym", "sub-class-of", "icon", "generic-icon",
               "glob", "magic", "alias", "root-XML", "treemagic", "glob-deleteall",
               "magic-deleteall"}  # fmt: skip
    tags = [child.tag.removeprefix(MIME_NS) for child in mime]
    assert set(tags) <= allowed, tags
    assert mime.find(f"{MIME_NS}comment").text == "dlplanner build"
    assert mime.find(f"{MIME_NS}icon").get("name") == MIME_ICON
    assert mime.find(f"{MIME_NS}glob").get("pattern") == "*.dlbuild.yaml"
    match = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    # The magic string is what every shipped example starts with (after its comment line).
    for example in resources.example_builds():
        assert match.get("value") in example.read_text()[:256], example


@needs["update-mime-database"]
def test_update_mime_database_accepts_the_type(tmp_path):
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(resources.desktop_dir() / f"{APP_ID}.xml", packages)
    result = subprocess.run(
        ["update-mime-database", str(tmp_path / "mime")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr
    globs = (tmp_path / "mime" / "globs2").read_text()
    assert f"{MIME_TYPE}:*.dlbuild.yaml" in globs
    assert f"{MIME_TYPE}:{MIME_ICON}" in (tmp_path / "mime" / "icons").read_text()
    assert f"{MIME_TYPE} application/x-yaml" in (tmp_path / "mime" / "subclasses").read_text()


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/usr/bin/dlplanner", "/usr/bin/dlplanner"),
        ("/opt/my apps/dlplanner", '"/opt/my apps/dlplanner"'),
        ('/tmp/a"b$c`d', '"/tmp/a\\\\"b\\\\$c\\\\`d"'),
        ("/tmp/back\\slash", '"/tmp/back\\\\\\\\slash"'),
        ("/tmp/100%", "/tmp/100%%"),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(arg, quoted):
    assert quote_exec_arg(arg) == quoted


@needs["desktop-file-validate"]
def test_an_awkward_install_path_still_validates(tmp_path):
    command = ["/opt/my apps/dl$planner 100%/bin/python", "-m", "dlplanner"]
    written = desktop_files.install(tmp_path, command)
    desktop = tmp_path / "applications" / f"{APP_ID}.desktop"
    assert desktop in written
    _validate_desktop(desktop)
    exec_line = _entry(desktop.read_text())["Desktop Entry"]["Exec"]
    assert exec_line == '"/opt/my apps/dl\\\\$planner 100%%/bin/python" -m dlplanner %f'


def test_install_and_uninstall_in_a_temporary_xdg_home(tmp_path, monkeypatch, capsys):
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    assert main(["desktop-integration", "install", "--no-refresh"]) == 0
    out = capsys.readouterr().out
    desktop = home / "applications" / f"{APP_ID}.desktop"
    expected = [
        desktop,
        home / "mime" / "packages" / f"{APP_ID}.xml",
        home / "icons/hicolor/scalable/apps/dlplanner.svg",
        home / f"icons/hicolor/scalable/mimetypes/{MIME_ICON}.svg",
        *(home / f"icons/hicolor/{s}x{s}/apps/dlplanner.png" for s in SIZES),
        *(home / f"icons/hicolor/{s}x{s}/mimetypes/{MIME_ICON}.png" for s in SIZES),
    ]
    for path in expected:
        assert path.is_file(), path
        assert f"installed: {path}" in out
    # The entry starts this very dlplanner, by absolute path.
    exec_line = _entry(desktop.read_text())["Desktop Entry"]["Exec"]
    program = exec_line.split(" ")[0].strip('"')
    assert Path(program).is_absolute() and Path(program).exists(), exec_line
    assert exec_line.endswith(" %f")
    icon = home / "icons/hicolor/48x48/apps/dlplanner.png"
    assert (
        icon.read_bytes()
        == (resources.icons_dir() / "hicolor/48x48/apps/dlplanner.png").read_bytes()
    )

    # Installing again overwrites in place; nothing else appears.
    before = sorted(p for p in home.rglob("*") if p.is_file())
    assert main(["desktop-integration", "install", "--no-refresh"]) == 0
    assert sorted(p for p in home.rglob("*") if p.is_file()) == before

    (home / "applications" / "someone-else.desktop").write_text("[Desktop Entry]\n")
    assert main(["desktop-integration", "uninstall", "--no-refresh"]) == 0
    assert f"removed: {desktop}" in capsys.readouterr().out
    left = [p for p in home.rglob("*") if p.is_file()]
    assert left == [home / "applications" / "someone-else.desktop"]
    assert main(["desktop-integration", "uninstall", "--no-refresh"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_xdg_data_home_defaults_to_local_share(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME")
    assert desktop_files.data_home() == tmp_path / ".local" / "share"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")  # the spec: must be absolute
    assert desktop_files.data_home() == tmp_path / ".local" / "share"


@needs["update-mime-database"]
@needs["update-desktop-database"]
def test_install_refreshes_the_desktop_caches(tmp_path, monkeypatch, capsys):
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    assert main(["desktop-integration", "install"]) == 0
    captured = capsys.readouterr()
    assert "refreshed: update-mime-database" in captured.out, captured
    assert "warning" not in captured.err
    assert f"{MIME_TYPE}:*.dlbuild.yaml" in (home / "mime" / "globs2").read_text()
    cache = (home / "applications" / "mimeinfo.cache").read_text()
    assert f"{MIME_TYPE}={APP_ID}.desktop;" in cache
    assert main(["desktop-integration", "uninstall"]) == 0
    assert MIME_TYPE not in (home / "mime" / "globs2").read_text()


def test_bad_action_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["desktop-integration", "reinstall"])
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


# -- the icon set ------------------------------------------------------------------------


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_png_size_is_there_and_square():
    hicolor = resources.icons_dir() / "hicolor"
    for size in SIZES:
        for path in ("apps/dlplanner.png", f"mimetypes/{MIME_ICON}.png"):
            png = hicolor / f"{size}x{size}" / path
            assert _png_size(png.read_bytes()) == (size, size), png


def test_the_ico_holds_png_images_up_to_256():
    data = (resources.icons_dir() / "dlplanner.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count == 7
    sizes = []
    for i in range(count):
        w, h, _c, _r, planes, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        image = data[offset : offset + length]
        side = w or 256
        assert (w, h, planes, bpp) == (w, w, 1, 32)
        assert _png_size(image) == (side, side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_the_icns_holds_every_macos_size():
    data = (resources.icons_dir() / "dlplanner.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    entries, pos = {}, 8
    while pos < len(data):
        ostype, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        entries[ostype.decode()] = _png_size(data[pos + 8 : pos + length])[0]
        pos += length
    assert pos == len(data)
    assert entries == {"icp4": 16, "icp5": 32, "icp6": 64, "ic07": 128, "ic08": 256,
                       "ic09": 512, "ic10": 1024, "ic11": 32, "ic12": 64, "ic13": 256,
                       "ic14": 512}  # fmt: skip


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_other_systems_get_one_line_and_exit_2(monkeypatch, capsys, platform, tmp_path):
    from dlplanner.commands import desktop

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(desktop.sys, "platform", platform)
    assert main(["desktop-integration", "install"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Linux" in err
    assert not any(tmp_path.iterdir())
