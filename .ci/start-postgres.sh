#!/usr/bin/env bash
# Starts a local PostgreSQL for TabTwin's database tests (idempotent; run as root).
# Installs Debian's postgresql when missing, runs one cluster listening on 127.0.0.1:5432 only,
# and makes sure role tabtwin (password tabtwin) and database tabtwin_test exist.
# Tests then connect with: Host=127.0.0.1;Port=5432;Username=tabtwin;Password=tabtwin;Database=tabtwin_test
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y postgresql
fi

# Newest installed major version; create its 'main' cluster when the package did not.
version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main
fi

# Loopback only, fixed port (rewritten every run so a changed config is corrected too).
conf="/etc/postgresql/$version/main/postgresql.conf"
sed -i -E "s/^#?listen_addresses\s*=.*/listen_addresses = '127.0.0.1'/" "$conf"
sed -i -E "s/^#?port\s*=.*/port = 5432/" "$conf"

status="$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}')"
port="$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')"
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" main start
elif [ "$port" != "5432" ] || ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster "$version" main restart   # running with an older configuration
fi

# Wait until the server accepts connections over TCP (bounded); a server that never answers fails here, by name.
ready=0
for _ in $(seq 1 90); do
  if pg_isready -h 127.0.0.1 -p 5432 -q; then ready=1; break; fi
  sleep 1
done
if [ "$ready" != 1 ]; then
  echo "PostgreSQL $version did not accept connections on 127.0.0.1:5432 within 90 s" >&2
  pg_lsclusters >&2 || true
  exit 1
fi

# Administration goes through the local Unix socket (peer authentication as the postgres user).
psql_admin() { su postgres -c "psql -p 5432 -d postgres -v ON_ERROR_STOP=1 -tAc \"$1\""; }
if [ "$(psql_admin "select 1 from pg_roles where rolname='tabtwin'")" != "1" ]; then
  psql_admin "create role tabtwin login password 'tabtwin'"
else
  psql_admin "alter role tabtwin login password 'tabtwin'"
fi
if [ "$(psql_admin "select 1 from pg_database where datname='tabtwin_test'")" != "1" ]; then
  psql_admin "create database tabtwin_test owner tabtwin"
fi
# Prove the test role can log in over TCP with its password, as the tests will.
PGPASSWORD=tabtwin psql -h 127.0.0.1 -p 5432 -U tabtwin -d tabtwin_test -v ON_ERROR_STOP=1 -tAc "select 1" >/dev/null
echo "PostgreSQL $version ready on 127.0.0.1:5432 (role tabtwin, database tabtwin_test)"
