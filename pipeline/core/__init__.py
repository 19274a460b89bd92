"""Shared by every stage: errors, clock, layout, atomic writes, file stamps, locales, settings."""
