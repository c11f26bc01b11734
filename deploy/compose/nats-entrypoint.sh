#!/bin/sh
# Exports each mounted /run/secrets/nats_<name>_password as NATS_<NAME>_PASSWORD (the variables that
# deploy/nats/accounts.conf refers to), then replaces itself with nats-server.
# NATS_SECRETS_DIR names another folder of secrets (the deployment tests use it).
set -eu
for file in "${NATS_SECRETS_DIR:-/run/secrets}"/nats_*_password; do
  [ -f "$file" ] || continue
  name=$(basename "$file" | tr '[:lower:]' '[:upper:]')
  value=$(cat "$file")
  export "$name=$value"
done
exec nats-server "$@"
