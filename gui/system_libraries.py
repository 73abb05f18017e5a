"""The system libraries Qt needs to open a window, and the Debian/Ubuntu packages that hold them.

The PySide6 wheel bundles Qt but not the X11 client libraries its `xcb`
display plugin links against; without one of them Qt aborts the process
("could not load the Qt platform plugin") after the store was opened.
`ldd` says exactly which are missing, so start-up can name them and
`.ci/ensure-qt-libs` (run by `make run` and `make test`) can install them:

    python -m jurist.gui.system_libraries      # prints the packages to install, space-separated
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

# soname -> Debian/Ubuntu package (the same names on Debian 12 and Ubuntu 22.04/24.04; apt resolves the
# 64-bit-time renames, e.g. libglib2.0-0 -> libglib2.0-0t64, through their Provides).
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libpng16.so.16": "libpng16-16",
    "libexpat.so.1": "libexpat1",
    "libz.so.1": "zlib1g",
}
FONT_PACKAGE = "fonts-dejavu-core"  # without any font Qt draws every label as empty boxes
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")


def pyside_dir() -> Path | None:
    """Where PySide6 is installed, found without importing it (importing Qt is what may fail)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def qt_binaries(platform: str = "xcb") -> list[Path]:
    """The GUI's Qt modules and the display plugin `platform` with its OpenGL integrations."""
    root = pyside_dir()
    if root is None:
        return []
    plugins = root / "Qt" / "plugins"
    found = [p for name in ("QtCore", "QtGui", "QtWidgets") for p in sorted(root.glob(f"{name}.*so"))]
    found += sorted((plugins / "platforms").glob(f"libq{platform}.so"))
    if platform == "xcb":
        found += sorted((plugins / "xcbglintegrations").glob("*.so"))
    return found


def not_found(ldd_output: str) -> list[str]:
    """The sonames `ldd` could not resolve (`libfoo.so.1 => not found`), in its order."""
    out = []
    for line in ldd_output.splitlines():
        name, arrow, target = line.strip().partition(" => ")
        if arrow and target.strip() == "not found" and name not in out:
            out.append(name)
    return out


def missing_libraries(platform: str = "xcb") -> list[str]:
    """Sonames Qt needs for `platform` that the dynamic loader cannot find; empty where ldd is unknown."""
    ldd = shutil.which("ldd")
    if not sys.platform.startswith("linux") or ldd is None:
        return []
    out: list[str] = []
    for binary in qt_binaries(platform):
        result = subprocess.run([ldd, str(binary)], capture_output=True, text=True, check=False)
        out += [name for name in not_found(result.stdout) if name not in out]
    return out


def packages_for(sonames: list[str]) -> list[str]:
    """Debian/Ubuntu packages holding `sonames`; a soname not in the table stands for itself."""
    out: list[str] = []
    for name in sonames:
        package = DEBIAN_PACKAGES.get(name, name)
        if package not in out:
            out.append(package)
    return out


def has_fonts() -> bool:
    return any(p.is_file() for d in FONT_DIRS for p in Path(d).expanduser().glob("**/*.[to]tf"))


def missing_packages(platform: str = "xcb") -> list[str]:
    """What to install so Qt can open a readable window here (empty when nothing is missing)."""
    if not sys.platform.startswith("linux"):
        return []
    packages = packages_for(missing_libraries(platform))
    if not has_fonts():
        packages.append(FONT_PACKAGE)
    return packages


if __name__ == "__main__":
    print(" ".join(missing_packages()))
