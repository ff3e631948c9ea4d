# Sourced by setup.sh and test.sh: where Odoo and its Python are.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
ODOO_VENV=${ODOO_VENV:-/opt/odoo-venv}
ODOO_PYTHON=${ODOO_PYTHON:-$ODOO_VENV/bin/python}
ADDONS_PATH="$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$ROOT"
export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"

require_odoo() {
  if [ ! -f "$ODOO_PATH/odoo-bin" ]; then
    echo "Odoo 18.0 was not found at ODOO_PATH=$ODOO_PATH (there is no odoo-bin there): run 'bash scripts/setup.sh' to install it, or point ODOO_PATH at an Odoo 18.0 tree." >&2
    exit 1
  fi
  if [ ! -x "$ODOO_PYTHON" ] && ! command -v "$ODOO_PYTHON" >/dev/null; then
    echo "Odoo's Python ODOO_PYTHON=$ODOO_PYTHON does not exist: run 'bash scripts/setup.sh'." >&2
    exit 1
  fi
}

start_postgres() {
  if ! pg_isready -q 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null; then
      cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
      pg_ctlcluster $cluster start || true
    else
      service postgresql start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
  fi
  pg_isready -q || { echo "PostgreSQL is not running and could not be started." >&2; exit 1; }
  me=$(id -un)
  if ! psql -d postgres -Atc "select 1" >/dev/null 2>&1; then
    su postgres -c "createuser -s $me" 2>/dev/null || sudo -u postgres createuser -s "$me"
  fi
}

odoo_bin() {
  "$ODOO_PYTHON" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" "$@"
}
