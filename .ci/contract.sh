#!/usr/bin/env bash
# The contract gate: schemathesis (PyPI, pinned) against the served OpenAPI
# document, for every role on SQLite and on PostgreSQL (see
# .ci/contract/run.py). Needs the PostgreSQL role giro_test with CREATEDB.
# Arguments go to run.py (e.g. --backends sqlite --roles admin).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
venv="$PWD/target/contract/venv"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

# The binary the service suite runs, built by `cargo test` already: a plain
# `cargo build` would leave out the dev-dependencies' features and rebuild
# half the dependency tree.
cargo test --no-run --test service -q

start=$(date +%s)
status=0
"$venv/bin/python" .ci/contract/run.py --giro "$PWD/target/debug/giro" --schemathesis "$venv/bin/schemathesis" "$@" || status=$?
echo "contract step: $(( $(date +%s) - start )) s for schemathesis on every backend and role"
exit "$status"
