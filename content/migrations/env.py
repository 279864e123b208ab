"""Alembic environment: runs migrations against the URL that content.db chose."""
from alembic import context
from sqlalchemy import create_engine, pool

import admin.models  # noqa: F401  (registers the staff admin's tables on the same metadata)
from content.models import Base
import content.referrals.models  # noqa: E402,F401  (the referral tables, for autogenerate)
import content.directory.models  # noqa: E402,F401  (the directory's tables, for autogenerate)

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        # Batch mode lets SQLite, which cannot ALTER most things, follow the same migrations.
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
