"""locpipe: offline batch translation of articles into reviewed gettext catalogs."""

__version__ = "0.1.0"
