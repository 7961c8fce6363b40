#!/bin/sh
# docker-entrypoint.sh: setup that has to happen when the container starts,
# then the server. Real projects wait for a database or run migrations here.
set -eu

# /data may be a fresh, empty volume: make sure the notes folder exists.
mkdir -p "${DATA_DIR:-/data}/notes"

# TODO(lesson 11): the server runs as a child of this shell, and the shell
# stays PID 1. Who receives the SIGTERM that `docker stop` sends?
/server "$@"
