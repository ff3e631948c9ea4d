#!/usr/bin/env bash
# Installs what the addon needs on a fresh Debian machine with Odoo 18.0 at
# ODOO_PATH, creates a demo database and starts Odoo on http://localhost:8069.
#   bash scripts/setup.sh            everything, then run Odoo
#   bash scripts/setup.sh --no-run   install only (what CI uses)
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
PACKAGES="postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev build-essential python3-dev
  tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng poppler-utils dovecot-imapd dovecot-pop3d chromium"
missing=$(for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq $missing >/dev/null
fi

# Keep every package Odoo already has at its version: only add what is missing.
constraints=$(mktemp)
"$ODOO_PYTHON" -m pip freeze 2>/dev/null | grep -viE '^(pytest|ruff|pylint|pdfplumber|pdfminer|pypdfium2|schwifty)' > "$constraints" || true
"$ODOO_PYTHON" -m pip install -q -r "$ROOT/requirements.txt" -c "$constraints"
rm -f "$constraints"

start_postgres
[ "${1:-}" = "--no-run" ] && exit 0

DB=${DEMO_DB:-scan_herken_demo}
if ! psql -d postgres -Atc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
  odoo_bin -d "$DB" -i l10n_nl,account_edi_ubl_cii,purchase,l10n_nl_scan_herken \
    --stop-after-init --log-level=warn
fi
echo "Odoo runs on http://localhost:8069 (database $DB). Log in as admin / admin."
echo "Accounting > Vendors > To process shows the sample invoices."
exec "$ODOO_PYTHON" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" -d "$DB" --http-port=8069 --db-filter="^$DB\$"
