#!/bin/sh
# Creates ./secrets/ (or the folder given as the first argument) with random passwords, the matching
# MongoDB store URLs, the replica-set keyfile, the rating-link secret and the portal's Open311 keys file
# (no key in it yet). Existing files are kept, so re-running never changes a
# password that is already in use.
set -eu
target=${1:-"$(dirname "$0")/secrets"}
umask 077
mkdir -p "$target"
cd "$target"

# Letters and digits only: nats-server would read an all-digit password as a number, and URL-special
# characters would have to be escaped inside the store URLs.
random() { openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | cut -c1-32; }

write() {  # write NAME VALUE: only if the file does not exist yet
  if [ ! -s "$1" ]; then
    printf '%s' "$2" > "$1"
    echo "created $1"
  fi
}

for user in sys admin operator scheduling intake assignment notification portal external; do
  write "nats_${user}_password" "p$(random)"
done
write mongo_root_password "p$(random)"
write grafana_admin_password "p$(random)"
if [ ! -s mongo_keyfile ]; then
  openssl rand -base64 756 > mongo_keyfile
  echo "created mongo_keyfile"
fi
for service in scheduling intake assignment notification portal; do
  write "mongo_${service}_password" "p$(random)"
  password=$(cat "mongo_${service}_password")
  write "${service}_store_url" \
    "mongodb://${service}:${password}@mongo:27017/dialogue_${service}?replicaSet=rs0&authSource=dialogue_${service}&w=majority&journal=true&retryWrites=true"
done
# Signs the rating links (notification) and verifies them (portal): one secret shared by both.
write rating_link_secret "r$(random)$(random)"
if [ ! -e portal_open311_keys ]; then
  # No comma in these lines: the portal splits the file on commas as well as on lines.
  printf '%s\n' "# Open311 API keys of the portal: one line per system allowed to POST requests" \
    "# written as source=key (the source one of DIALOGUE_INTAKE_SOURCES) for example" \
    "# cong-thong-tin-tinh=$(random)" > portal_open311_keys
  echo "created portal_open311_keys"
fi
# Readable by the containers' users (the files are bind-mounted with the host's mode).
chmod 644 ./*
