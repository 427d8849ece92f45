#!/usr/bin/env bash
# Back up the record: every table, history and triggers included, in PostgreSQL's custom format.
#   scripts/backup.sh DATABASE_URL FILE
# Restore into a new, empty database (see README, "Backup and restore"):
#   createdb NEWDB && pg_restore --no-owner --exit-on-error -d NEWDB FILE
set -euo pipefail
url="${1:?DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/kmcommission}"
file="${2:?the file to write}"
pg_dump --format=custom --no-owner --file="$file" "$url"
echo "Backed up to $file"
