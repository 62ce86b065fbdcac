#!/bin/sh
# Makes an Ed25519 key pair for the gateway and each subgraph (PKCS#8 / SPKI PEM, as `cockpit up`
# makes them) in DIR (default deploy/keys), for docker-compose's secrets or `kubectl create secret`,
# and catalog's key-encryption key for connection secrets (`secret-keys`).
# Existing pairs are kept. DIR itself is 0700: the files are 0644 so that the containers' user
# (uid 1000) can read the ones bind-mounted into it, while no other local user can reach them.
set -eu
dir="${1:-$(dirname "$0")/keys}"
mkdir -p "$dir"
chmod 0700 "$dir"
node -e '
const { generateKeyPairSync } = require("node:crypto");
const { existsSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const dir = process.argv[1];
for (const name of ["gateway", "identity", "budgets", "catalog", "guardrails", "observability"]) {
  if (existsSync(join(dir, `${name}.key`))) continue;
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  writeFileSync(join(dir, `${name}.key`), privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o644 });
  writeFileSync(join(dir, `${name}.pub`), publicKey.export({ type: "spki", format: "pem" }), { mode: 0o644 });
}
// catalog's key-encryption key for connection secrets (COCKPIT_SECRET_KEYS_FILE)
if (!existsSync(join(dir, "secret-keys")))
  writeFileSync(join(dir, "secret-keys"), `k1:${require("node:crypto").randomBytes(32).toString("base64")}\n`, { mode: 0o644 });
' "$dir"
echo "keys in $dir"
