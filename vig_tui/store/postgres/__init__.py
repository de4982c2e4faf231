"""The register on a PostgreSQL server (``pip install 'vig-tui[postgres]'``).

The only package besides the file store that talks to a database: psycopg 3 is
imported here and nowhere else. See docs/architecture.md ("PostgreSQL").
"""

from .connection import AccessRefused, RegisterUnreachable, is_postgres_url, location
from .schema import ROLES, add_user, latest_version, migrate

__all__ = [
    "ROLES",
    "AccessRefused",
    "RegisterUnreachable",
    "add_user",
    "is_postgres_url",
    "latest_version",
    "location",
    "migrate",
]
