#!/usr/bin/env bash
# Refresh the English catalogue after adding or changing translatable strings.
#
#   ./scripts/messages.sh
#
# 1. makemessages extracts every gettext()/gettext_lazy()/{% translate %} string under
#    battlemap/ into battlemap/locale/en/LC_MESSAGES/django.po: new strings arrive with an
#    empty msgstr, changed ones are marked "#, fuzzy", vanished ones are dropped.
# 2. msgfmt compiles django.mo (committed with the .po, so deployments need no gettext).
# It exits non-zero while entries are untranslated or fuzzy: translate them in the .po
# (keeping every %(name)s placeholder), delete the "#, fuzzy" lines, and run it again.
# Needs GNU gettext (Debian: apt-get install gettext) and the project venv (make setup).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PO=battlemap/locale/en/LC_MESSAGES/django.po
MO=${PO%.po}.mo

# makemessages works relative to the current directory: run it inside the package so
# the catalogue lands in battlemap/locale. Line numbers are left out to keep diffs small.
(
    cd battlemap
    DJANGO_SETTINGS_MODULE=battlemap.settings "$ROOT/.venv/bin/battlemap" makemessages \
        --locale en --extension html,py,txt --ignore 'migrations/*' \
        --add-location file --no-obsolete
)

msgfmt --check --output-file "$MO" "$PO"
stats=$(LC_ALL=C msgfmt --statistics --output-file /dev/null "$PO" 2>&1)
echo "$PO: $stats"
if [[ $stats == *untranslated* || $stats == *fuzzy* ]]; then
    echo "Translate the empty and fuzzy entries in $PO, then run $0 again." >&2
    exit 1
fi
