#!/bin/sh
# The image's entrypoint: one image, the service chosen by the first argument.
# Each service reads its configuration from the environment (README "Configuration");
# keys come from files (`*_FILE`, Secrets mounted read-only). Node runs as PID 1 through
# `exec`, so SIGTERM reaches the service's own drain (HTTP closed, sockets 1001).
set -eu
cd "$(dirname "$0")/.."
service="${1:-}"
[ "$#" -gt 0 ] && shift
case "$service" in
  gateway)
    exec node --require tsx/cjs gateway/src/main.ts "$@" ;;
  identity | budgets | catalog | guardrails | observability)
    exec node --require tsx/cjs "subgraphs/$service/src/main.ts" "$@" ;;
  migrate)
    # every subgraph's migrations, then exit (keys for this one run are made under $COCKPIT_HOME);
    # never the embedded database a missing DATABASE_URL would start
    : "${DATABASE_URL:?migrate needs DATABASE_URL}"
    exec node --require tsx/cjs packages/cli/src/main.ts migrate "$@" ;;
  *)
    echo "usage: entrypoint.sh gateway|identity|budgets|catalog|guardrails|observability|migrate" >&2
    exit 64 ;;
esac
