#!/usr/bin/env bash
# Builds the release binary of access-reconciler into OUT (default: ./out), stamped with the commit
# it is built from (`--version`). deploy/Dockerfile's build stage runs this script, and so does
# .ci/run, so that the image's build is checked where no container engine runs.
#   scripts/build-release.sh [OUT]
# The commit is ACCESS_RECONCILER_COMMIT if set (a container build has no .git), else git's HEAD.
set -euo pipefail
out=$(mkdir -p "${1:-out}" && cd "${1:-out}" && pwd)
cd "$(dirname "$0")/.."

commit=${ACCESS_RECONCILER_COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || true)}
[[ "$commit" =~ ^[0-9a-f]{7,40}$ ]] || commit=unknown

# Stamp the commit for this build only; the checkout's file is put back whatever happens.
stamp=Sources/ReconcilerCommands/BuildCommit.swift
original=$(mktemp)
cp "$stamp" "$original"
trap 'cp "$original" "$stamp"; rm -f "$original"' EXIT
if [ "$commit" != unknown ]; then
  printf '// Written by scripts/build-release.sh for this build.\nlet buildCommit: String? = "%s"\n' "$commit" > "$stamp"
fi

# Linked against the toolchain's shared runtime: the Dockerfile's runtime stage is the matching
# slim Swift image, which has it and libcurl (Foundation's HTTP) and nothing to build with.
swift build -c release --product access-reconciler
cp "$(swift build -c release --show-bin-path)/access-reconciler" "$out/access-reconciler"
"$out/access-reconciler" --version
