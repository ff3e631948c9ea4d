"""Running real Odoo processes for the integration tests."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def odoo_cmd(database, command, *args):
    """odoo-bin with this repository in the addons path; an addon's command
    (scan-herken) needs the addons path before it, a core one (shell) after."""
    odoo = os.environ.get("ODOO_PATH", "/opt/odoo")
    addons = f"--addons-path={os.environ.get('ADDONS_PATH', f'{odoo}/addons,{odoo}/odoo/addons,{ROOT}')}"
    python = os.environ.get("ODOO_PYTHON", sys.executable)
    if command == "shell":
        return [python, f"{odoo}/odoo-bin", "shell", addons, "-d", database, *args]
    return [python, f"{odoo}/odoo-bin", addons, command, *args[:1], "-d", database, *args[1:]]


def shell(database, script, **kwargs):
    """Run Python in an Odoo shell process (a real worker) and return it."""
    return subprocess.Popen(
        odoo_cmd(database, "shell", "--no-http", "--log-level=warn"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    ), script


def run_shell(database, script, timeout=300):
    process, script = shell(database, script)
    out, err = process.communicate(script, timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return out


def sql(database, query):
    return subprocess.run(
        ["psql", "-d", database, "-Atc", query], capture_output=True, text=True, check=True
    ).stdout.strip()
