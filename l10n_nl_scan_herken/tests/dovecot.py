"""A real IMAP/POP3 server for the tests: Debian's Dovecot on 127.0.0.1,
with a throw-away maildir and one user, started and stopped by the tests."""

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CONFIG = """
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{tmp}/mail/%u
first_valid_uid = 0
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/users
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={tmp}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop_port}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""

USER, PASSWORD = "facturen", "geheim"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="scan-dovecot-"))
        self.imap_port, self.pop_port = _free_port(), _free_port()
        self.process = None

    def start(self):
        if not shutil.which("dovecot"):
            raise RuntimeError("Dovecot is not installed: run scripts/setup.sh (Debian package dovecot-imapd).")
        (self.tmp / "mail").mkdir()
        os.chmod(self.tmp, 0o755)
        os.chmod(self.tmp / "mail", 0o777)
        (self.tmp / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        config = self.tmp / "dovecot.conf"
        config.write_text(CONFIG.format(tmp=self.tmp, imap_port=self.imap_port, pop_port=self.pop_port))
        self.process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _i in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.imap_port), timeout=0.2).close()
                socket.create_connection(("127.0.0.1", self.pop_port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Dovecot did not start; see " + str(self.tmp / "dovecot.log"))

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(10)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def imap(self):
        connection = imaplib.IMAP4("127.0.0.1", self.imap_port)
        connection.login(USER, PASSWORD)
        return connection

    def append(self, message, folder="INBOX"):
        connection = self.imap()
        try:
            connection.append(folder, None, None, bytes(message))
        finally:
            connection.logout()

    def count(self, folder="INBOX"):
        connection = self.imap()
        try:
            typ, data = connection.select(folder, readonly=True)
            return int(data[0]) if typ == "OK" else None
        finally:
            connection.logout()

    def clear(self):
        connection = self.imap()
        try:
            for folder in ("INBOX", "Afgerond", "Verwerkt"):
                typ, data = connection.select(folder)
                if typ == "OK" and int(data[0]):
                    connection.store("1:*", "+FLAGS", "(\\Deleted)")
                    connection.expunge()
        finally:
            connection.logout()
