#!/usr/bin/env bash
# The announce step of a release script that is not GitHub Actions (deploy, then the /up gate, then
# ship, then notes). `--soft` makes it unable to fail the release or leave it stuck between deploy
# and ship: a bad value, missing credentials, throttling or an unreachable bus is a warning on
# stderr and exit 0. `--timeout` bounds how long it may retry (default 10 s).
#
# Credentials: the usual AWS environment (a profile, SSO, an instance role) allowed events:PutEvents
# on the deploy bus; the stack's ReleaseToolingPolicyArn output grants exactly that.
set -euo pipefail

app=studio
release_id="$1"            # e.g. 2026.06.26.1, the id the release API knows
merge_commit="$(git rev-parse HEAD)"
commit="$(git rev-parse HEAD^2 2>/dev/null || git rev-parse HEAD)"   # the PR head, when HEAD is a merge

# ... deploy, the /up gate, ship ...

event_id="$(smoke-seal announce --soft --timeout 10000 \
  --config /opt/smoke-seal/cdk.json \
  --app "$app" \
  --release-id "$release_id" \
  --version "$release_id" \
  --commit "$commit" \
  --merge-commit "$merge_commit" \
  --branch "$(git rev-parse --abbrev-ref HEAD)" \
  --release-url "https://ops.example.com/releases/$release_id")"
# Empty when the announcement did not go out (the warning is on stderr): the release carries on.
echo "smoke seal announced: ${event_id:-not sent}"

# ... release notes ...
