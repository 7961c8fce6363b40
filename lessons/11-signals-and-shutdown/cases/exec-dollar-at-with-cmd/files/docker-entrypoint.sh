#!/bin/sh
# docker-entrypoint.sh: setup that has to happen when the container starts,
# then the server. Real projects wait for a database or run migrations here.
set -eu

# /data may be a fresh, empty volume: make sure the notes folder exists.
mkdir -p "${DATA_DIR:-/data}/notes"

# exec "$@" replaces this shell with the command CMD gives (/server), as the
# official images do: the server becomes PID 1 and gets docker stop's SIGTERM.
exec "$@"
