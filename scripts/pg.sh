# Sourced by test.sh: sets LIANXIN_TEST_PG to a PostgreSQL server the tests may create
# databases on. Uses LIANXIN_TEST_PG if set, else 127.0.0.1:5432, else installs and starts one.
pg_answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if [ -z "${LIANXIN_TEST_PG:-}" ]; then
  if ! command -v pg_isready >/dev/null || ! pg_answers; then
    if ! command -v pg_ctlcluster >/dev/null; then
      log "installing PostgreSQL"
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    log "starting PostgreSQL"
    ver=$(ls /etc/postgresql | sort -V | tail -1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
    # A fresh Debian cluster asks for a password over TCP: give the tests one.
    as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  fi
  if psql -h 127.0.0.1 -U postgres -w -c 'select 1' postgres >/dev/null 2>&1; then
    export LIANXIN_TEST_PG="postgres://postgres@127.0.0.1:5432/postgres"
  else
    export LIANXIN_TEST_PG="postgres://postgres:postgres@127.0.0.1:5432/postgres"
  fi
fi
log "PostgreSQL for tests: ${LIANXIN_TEST_PG}"
