#!/usr/bin/env bash
# Runs every pfmeter test on a fresh machine: installs what the tests need (a JDK 17 and Maven are
# expected, as on the project's machines), starts a throwaway PostgreSQL on loopback for the fleet
# tests, then runs the unit tests (surefire) and integration tests (failsafe) of every module.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

need_apt=()
command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
command -v mandoc >/dev/null 2>&1 || need_apt+=(mandoc)      # ManPageIT: mandoc -Tlint on pfmeter(8)
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)              # BillingPagesIT: headless Chromium
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)   # … driven through chromedriver
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# PostgreSQL for the accounting and fleet tests: the distribution's cluster, on loopback only.
PG_VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main"' | grep -q .; then
  $SUDO pg_createcluster "$PG_VERSION" main >/dev/null
fi
$SUDO pg_ctlcluster "$PG_VERSION" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  as_postgres psql -qtAc 'select 1' >/dev/null 2>&1 && break
  sleep 1
done
as_postgres psql -qtAc "select 1 from pg_roles where rolname='pfmeter'" | grep -q 1 \
  || as_postgres psql -qc "create role pfmeter login password 'pfmeter'"
as_postgres psql -qtAc "select 1 from pg_database where datname='pfmeter_test'" | grep -q 1 \
  || as_postgres psql -qc "create database pfmeter_test owner pfmeter"
export PFMETER_TEST_PG_URL="jdbc:postgresql://127.0.0.1:5432/pfmeter_test"
export PFMETER_TEST_PG_USER="pfmeter"
export PFMETER_TEST_PG_PASSWORD="pfmeter"

mvn -B -ntp verify "$@"
