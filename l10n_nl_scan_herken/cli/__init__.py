from . import scan_herken
