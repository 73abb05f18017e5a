"""Who is acting: the OS login name, unless an admin says `--as`.

This is identification, not authentication: on a desktop the OS login is
whatever the account says it is.  See docs/store.md for what that implies.
"""
from __future__ import annotations

import getpass
import os


def os_login() -> str:
    """The current OS account name, falling back to the numeric uid."""
    try:
        name = getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (some containers)
        name = ""
    if name:
        return name
    return f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"
