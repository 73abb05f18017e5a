"""Alembic environment: runs on the connection the application hands over.

`jurist.db.migrate` passes an open connection (already inside a transaction
and, on PostgreSQL, holding an advisory lock) through `config.attributes`.
For the alembic CLI, a URL may be given with `-x url=...`.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from jurist.db.migrate import VERSION_TABLE
from jurist.db.models import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from jurist.db.connection import create_store_engine, resolve_url

    url = context.get_x_argument(as_dictionary=True).get("url")
    engine = create_store_engine(resolve_url(url))
    with engine.begin() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit("Jurist's migrations run online only")
_main()
