#!/usr/bin/env bash
# Makes sure the PostgreSQL server's binaries are installed, for the store tests. The tests start
# (initdb as the postgres user, a free port on 127.0.0.1) and tear down their own throwaway cluster.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq postgresql
fi
ls /usr/lib/postgresql/*/bin/initdb
