#!/usr/bin/env bash
# Runs every test: the engine's plain tests, the quality gates (ruff,
# pylint-odoo, complete Dutch translation) and the addon's Odoo tests in a
# real database copied from a template, all counted in one pytest summary.
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo
start_postgres

TEMPLATE=${SCAN_TEMPLATE_DB:-scan_herken_tpl_18_v2}
DB=${SCAN_TEST_DB:-scan_herken_test}
LOG_DIR="$ROOT/var"; mkdir -p "$LOG_DIR"

db_exists() { psql -d postgres -Atc "select 1 from pg_database where datname='$1'" | grep -q 1; }

if ! db_exists "$TEMPLATE"; then
  # Built under another name and renamed when complete: an interrupted build
  # never leaves a half-installed template behind.
  echo "Building template database $TEMPLATE (account, l10n_nl, account_edi_ubl_cii, purchase) ..."
  building="${TEMPLATE}_building"
  dropdb --if-exists "$building"
  odoo_bin -d "$building" -i account,l10n_nl,account_edi_ubl_cii,purchase --without-demo=all \
    --stop-after-init --log-level=warn > "$LOG_DIR/template.log" 2>&1 \
    || { cat "$LOG_DIR/template.log"; dropdb --if-exists "$building"; exit 1; }
  psql -d postgres -qc "ALTER DATABASE \"$building\" RENAME TO \"$TEMPLATE\""
fi
dropdb --if-exists "$DB"
createdb -T "$TEMPLATE" "$DB"

echo "Installing l10n_nl_scan_herken into $DB ..."
odoo_bin -d "$DB" -i l10n_nl_scan_herken --without-demo=all --stop-after-init --log-level=info \
  > "$LOG_DIR/install.log" 2>&1 || { tail -50 "$LOG_DIR/install.log"; exit 1; }
# The install must be clean: no warning or error in its log.
if grep -E " (WARNING|ERROR|CRITICAL) " "$LOG_DIR/install.log" | grep -v "Running as user 'root'"; then
  echo "Installing l10n_nl_scan_herken logged warnings or errors (see above)." >&2
  exit 1
fi

# A committed copy for the tests that run real worker processes against it.
export SCAN_WORK_DB="${DB}_work"
dropdb --if-exists "$SCAN_WORK_DB"
createdb -T "$DB" "$SCAN_WORK_DB"
export ODOO_PATH ODOO_PYTHON ADDONS_PATH

cd "$ROOT"
set +e
"$ODOO_PYTHON" -m pytest --odoo-database="$DB" --odoo-addons-path="$ADDONS_PATH" \
  --odoo-log-level=warn --odoo-http "$@"
status=$?
set -e
exit $status
