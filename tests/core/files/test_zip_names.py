"""A file whose name is harmless here (``..\\..\\evil.bat``, ``C:\\x``) must not become a path
outside the folder, or onto another drive, when the zip is unpacked on another system."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

from jarvis.services.files import ZipNames

TRAPS = {
    "..\\..\\..\\Windows\\evil.bat": b"traversal",
    "C:\\Users\\Public\\run.bat": b"absolute with a drive",
    "D:relative-to-a-drive.txt": b"drive relative",
    "\\\\server\\share\\x.txt": b"UNC",
    "notes.txt:hidden-stream": b"NTFS stream",
    "trailing dot.": b"Windows drops the dot",
    "a_b.txt": b"the plain one",
    "a\\b.txt": b"collides with a_b.txt once made safe",
}


def safe(name: str) -> bool:
    """Safe for any unzipper: relative, no drive, no '..', no backslash, no colon."""
    win, posix = PureWindowsPath(name), PurePosixPath(name)
    return (not win.drive and not win.is_absolute() and not posix.is_absolute()
            and ".." not in win.parts and "\\" not in name and ":" not in name)


async def test_zip_entries_are_safe_relative_posix_names(user_client, folder_of):
    folder = folder_of(user_client)
    (folder / "sub\\..\\dir").mkdir()
    (folder / "sub\\..\\dir" / "..\\..\\inside.txt").write_bytes(b"nested")
    for name, content in TRAPS.items():
        (folder / name).write_bytes(content)

    resp = await user_client.get("/api/my/files/download-zip", params={"path": "/"})
    assert resp.status == 200
    archive = zipfile.ZipFile(io.BytesIO(await resp.read()))
    names = archive.namelist()
    assert [n for n in names if not safe(n)] == []
    assert len(set(names)) == len(names) == len(TRAPS) + 2
    # every file is there, its content whole
    contents = sorted(archive.read(n) for n in names if not n.endswith("/"))
    assert contents == sorted([*TRAPS.values(), b"nested"])
    assert archive.read("sub_.._dir/.._.._inside.txt") == b"nested"
    assert {archive.read("a_b.txt"), archive.read("a_b~2.txt")} == {
        TRAPS["a_b.txt"], TRAPS["a\\b.txt"]}


def test_names_stay_unique_ignoring_case_and_keep_their_folders():
    names = ZipNames()
    assert [names(n) for n in ("A:/", "A:/x", "a_/", "a_/x", "Read.me", "read.me", ".env")] == [
        "A_/", "A_/x", "a_~2/", "a_~2/x", "Read.me", "read~2.me", ".env"]
