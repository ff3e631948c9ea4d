#!/usr/bin/env bash
# Installs everything the addon needs on a fresh Debian machine: system
# packages, Odoo 18.0 at ODOO_PATH with its Python environment ODOO_VENV (when
# missing), the addon's Python packages, PostgreSQL started, a demo database;
# then starts Odoo on http://localhost:8069.
#   bash scripts/setup.sh            everything, then run Odoo
#   bash scripts/setup.sh --no-run   install only (what CI uses)
# Odoo comes from ODOO_SOURCE (a git URL or local repository; default Odoo's
# official repository) at ODOO_REF (a branch, tag or commit).
set -euo pipefail
source "$(dirname "$0")/common.sh"

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
PACKAGES="git postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev build-essential python3-dev
  libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev libffi-dev
  tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng poppler-utils dovecot-imapd dovecot-pop3d chromium
  fonts-dejavu-core"
missing=$(for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq $missing >/dev/null
fi

# Odoo 18.0 itself, when ODOO_PATH has none: its source at ODOO_REF, never
# inside this repository.
if [ ! -f "$ODOO_PATH/odoo-bin" ]; then
  source_url=${ODOO_SOURCE:-https://github.com/odoo/odoo.git}
  ref=${ODOO_REF:-18.0}
  echo "Installing Odoo 18.0 from $source_url at $ref into $ODOO_PATH ..."
  $SUDO mkdir -p "$ODOO_PATH"
  git -C "$ODOO_PATH" init -q
  git -C "$ODOO_PATH" fetch -q --depth 1 "$source_url" "$ref"
  git -C "$ODOO_PATH" -c advice.detachedHead=false checkout -q FETCH_HEAD
fi
if [ ! -x "$ODOO_PYTHON" ] && [ "$ODOO_PYTHON" = "$ODOO_VENV/bin/python" ]; then
  echo "Creating Odoo's Python environment $ODOO_VENV ..."
  python3 -m venv "$ODOO_VENV"
  "$ODOO_PYTHON" -m pip install -q --upgrade "pip<25.3" wheel
  # Odoo's requirements, with its Python 3.12 pins where its 3.11 ones no
  # longer build or work together (cryptography, pyOpenSSL, urllib3);
  # cbor2 5.4 builds only with setuptools older than 81.
  build=$(mktemp)
  echo "setuptools<81" > "$build"
  grep -viE '^(cryptography|pyopenssl|urllib3)[ =]' "$ODOO_PATH/requirements.txt" > "$build.req"
  printf 'cryptography==42.0.8\npyOpenSSL==24.1.0\nurllib3==2.0.7\nphonenumbers\n' >> "$build.req"
  PIP_CONSTRAINT="$build" PIP_BUILD_CONSTRAINT="$build" "$ODOO_PYTHON" -m pip install -q -r "$build.req"
  rm -f "$build" "$build.req"
fi

require_odoo

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
