"""Who is acting: the OS login name, unless an admin says `--as`, or the database says who.

On its own this is identification, not authentication: on a desktop the OS
login is whatever the account says it is (docs/security.md).  A PostgreSQL
store whose owner filled `jurist_logins` authenticates instead: the Jurist
user is the one mapped to the database login (`session_user`), and a trigger
refuses any audit event that login records as someone else.
"""
from __future__ import annotations

import getpass
import os
from typing import TYPE_CHECKING

from jurist.db.errors import PermissionDenied

if TYPE_CHECKING:
    from sqlalchemy import Engine


def os_login() -> str:
    """The current OS account name, falling back to the numeric uid."""
    try:
        name = getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (some containers)
        name = ""
    if name:
        return name
    return f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def database_user(engine: "Engine", claimed: str | None) -> str | None:
    """The Jurist user the database login is mapped to, when the store maps logins; else None.

    `claimed` is a login the caller asked for (`Store.open(login=...)`): a
    mapped database login cannot claim another name.  A store that maps logins
    refuses a login it does not map.
    """
    if engine.dialect.name != "postgresql":
        return None
    from sqlalchemy import func, select

    from jurist.db.connection import read_session
    from jurist.db.models import DatabaseLogin

    with read_session(engine) as session:
        if not session.scalar(select(func.count()).select_from(DatabaseLogin)):
            return None
        db_login = session.scalar(select(func.session_user()))
        mapped = session.scalar(select(DatabaseLogin.jurist_user).where(DatabaseLogin.db_login == db_login))
    if mapped is None:
        raise PermissionDenied(f"the database login `{db_login}` is not mapped to a Jurist user; the database's "
                               "owner maps it in `jurist_logins` (see docs/security.md)")
    if claimed is not None and claimed != mapped:
        raise PermissionDenied(f"the database login `{db_login}` is Jurist user `{mapped}`; it cannot act as "
                               f"`{claimed}` (an admin uses --as, which records them too)")
    return str(mapped)
