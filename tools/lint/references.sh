#!/usr/bin/env bash
# `make lint`: the repository holds its own design (docs/). A clone has no ../shared/ next to
# it, so a README, a comment or a test that points there points at nothing: name the page in
# docs/ instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

pattern='\.\./shared/|(^|[^a-z/])spec/(api|operator)\.md|(^|[^A-Za-z/])DESIGN\.md|seed/infrastructure\.md|(single-node-cluster|chart-conventions|architecture-review)\.md'
if git grep -n -I -E "$pattern" -- . ':!tools/lint/references.sh'; then
  echo 'lint: the lines above point outside the repository; link the page in docs/ instead' >&2
  exit 1
fi
