#!/usr/bin/env bash
# Builds the deployable host into one self-contained folder:
#
#   <out>/dist/main.js       the service (tsup, ESM, Node 20)        -> node dist/main.js
#   <out>/dist/cli/job.js    the cron jobs, when the host has them   -> node dist/cli/job.js <job> ...
#   <out>/node_modules/      production dependencies only (pnpm deploy --prod), the
#                            @tattoo-bot/* packages included as built copies (their dist/)
#   <out>/config/            the operator's YAML (copy, qualification, calendar rules, templates)
#
# Usage: scripts/bundle-host.sh <out-dir>
#   SKIP_BUILD=1   reuse the existing dist/ folders (the caller has just built them)
#   PNPM="pnpm"    the pnpm command (default: pnpm when on PATH, else npx -y pnpm@10)
#
# The output folder is the whole deployable: copy it anywhere (the Dockerfile copies it into the
# runtime image) and run `node dist/main.js` from it. Keep it outside the repository when checking
# it, so Node cannot fall back to the workspace's node_modules.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 <out-dir>" >&2
  exit 2
fi
mkdir -p "$1"
out="$(cd "$1" && pwd)"
if [ "$out" = "$root" ] || [ "$out" = "/" ]; then
  echo "refusing to bundle into $out" >&2
  exit 2
fi

if [ -z "${PNPM:-}" ]; then
  if command -v pnpm >/dev/null 2>&1; then PNPM="pnpm"; else PNPM="npx -y pnpm@10"; fi
fi

cd "$root"
if [ "${SKIP_BUILD:-}" != "1" ]; then
  # The host and every workspace package it depends on (the packages ship their dist/).
  $PNPM exec turbo run build --filter=@tattoo-bot/host... --output-logs=errors-only
fi
test -f apps/host/dist/main.js || { echo "apps/host/dist/main.js is missing: build the host first" >&2; exit 1; }

# pnpm 10 only deploys injected workspace packages unless asked for the classic (--legacy) layout;
# the legacy deploy copies each @tattoo-bot package's published files (package.json "files")
# and installs production dependencies from the lockfile.
find "$out" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
$PNPM --filter @tattoo-bot/host deploy --prod --legacy "$out" >"$out.deploy.log" 2>&1 || {
  cat "$out.deploy.log" >&2
  exit 1
}
rm -f "$out.deploy.log"

test -f "$out/dist/main.js" || { echo "pnpm deploy did not copy dist/main.js" >&2; exit 1; }
for pkg in "$out"/node_modules/@tattoo-bot/*; do
  main="$(node -e 'const p=require(process.argv[1]);process.stdout.write(p.exports?.["."]?.import ?? p.main ?? "")' "$pkg/package.json")"
  test -f "$pkg/$main" || { echo "$(basename "$pkg"): $main is missing in the bundle (was the package built?)" >&2; exit 1; }
done

# The YAML the host reads (CONFIG_DIR, CALENDAR_RULES_PATH default to config/...): found beside
# dist/ by the host's config lookup, whatever the working directory.
mkdir -p "$out/config"
cp "$root"/config/*.yml "$out/config/"

echo "bundle: $out ($(du -sh "$out" | cut -f1))"
