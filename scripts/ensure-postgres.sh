#!/usr/bin/env bash
# Makes the local PostgreSQL usable for the tests: starts a cluster that is down, then creates (or refreshes) the
# test role idempotently through `su postgres -c psql`, which works whatever the machine's authentication is
# (trust, or peer on the socket and password on 127.0.0.1). Needs root; prints what is missing otherwise.
set -euo pipefail

ROLE="${TEST_DB_ROLE:-bulletin_test}"
PASSWORD="${TEST_DB_PASSWORD:-bulletin_test}"

if [ "$(id -u)" != "0" ]; then
  echo "ensure-postgres: not root. As a PostgreSQL superuser run:" >&2
  echo "  CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';" >&2
  exit 1
fi
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "ensure-postgres: PostgreSQL is not installed (apt-get install -y postgresql), or set TEST_DATABASE_URL." >&2
  exit 1
fi

# Start every cluster that is down.
pg_lsclusters --no-header | while read -r version cluster port status _rest; do
  if [ "$status" != "online" ]; then
    echo "ensure-postgres: starting cluster $version/$cluster on port $port"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start 2>/dev/null || pg_ctlcluster "$version" "$cluster" start
  fi
done

for _ in $(seq 1 30); do
  if su postgres -c "psql -Atqc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done

su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
SQL
echo "ensure-postgres: role $ROLE ready"
