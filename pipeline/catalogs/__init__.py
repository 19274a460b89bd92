"""Stage 4: gettext catalogs (.pot, .po, .mo) with polib, merged the way msgmerge merges."""
