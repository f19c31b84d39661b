#!/usr/bin/env bash
# Regenerates the typed TypeScript for proto/*.proto into proto/gen/ (never edit that folder by
# hand; only its biome.json is kept); with --check, fails if proto/gen/ is not what it generates.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Generates into $tmp/gen, formatted as biome would format it inside proto/gen/.
generate() {
  # The options match the loader in internal/transport/proto.ts: uint64 as number, enums as
  # strings, defaults filled in, oneofs named.
  node_modules/.bin/proto-loader-gen-types \
    --longs=Number --enums=String --defaults --oneofs \
    --grpcLib=@grpc/grpc-js --importFileExtension=.ts \
    -O "$tmp/gen" proto/*.proto
  # Outside the repository biome cannot consult .gitignore; the linter is off for generated code
  # (proto/gen/biome.json), so this formats and sorts imports exactly as `biome check` expects.
  local out
  if ! out="$(node_modules/.bin/biome check --write --vcs-use-ignore-file=false --linter-enabled=false \
    "$tmp/gen" 2>&1)"; then
    echo "$out" >&2
    exit 1
  fi
}

generate
if [[ "${1:-}" == "--check" ]]; then
  if ! diff -r -x biome.json "$tmp/gen" proto/gen; then
    echo "proto/gen is out of date: run npm run gen:proto" >&2
    exit 1
  fi
  echo "proto/gen is up to date"
else
  find proto/gen -name '*.ts' -delete 2>/dev/null || true
  find proto/gen -mindepth 1 -type d -empty -delete 2>/dev/null || true
  mkdir -p proto/gen
  cp -R "$tmp/gen/." proto/gen/
fi
