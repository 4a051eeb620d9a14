#!/usr/bin/env bash
# Rebuilds ../static's third-party files from the npm registry, at the versions pinned in
# package.json and package-lock.json (see ../README.md). node_modules lives in a temporary
# directory: only the built files, their licences and VERSIONS are kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
static="$here/../static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
modules="$work/node_modules"

cp "$modules/graphiql/graphiql.min.js" "$modules/graphiql/graphiql.min.css" "$static/"
cp "$modules/react/umd/react.production.min.js" "$static/"
cp "$modules/react-dom/umd/react-dom.production.min.js" "$static/"
cp "$modules/graphiql/LICENSE" "$static/LICENSE.graphiql"
cp "$modules/react/LICENSE" "$static/LICENSE.react"
cp "$modules/react-dom/LICENSE" "$static/LICENSE.react-dom"
node "$here/licenses.mjs" "$modules" > "$static/THIRD_PARTY_LICENSES.txt"

version() { node -p "require('$modules/$1/package.json').version"; }
{
    echo "# Made by gateway/graphiql/vendor/update.sh; do not edit by hand."
    for pkg in graphiql react react-dom; do echo "$pkg $(version "$pkg")"; done
    echo
    (cd "$static" && sha256sum graphiql.min.js graphiql.min.css react.production.min.js \
        react-dom.production.min.js)
} > "$static/VERSIONS"
cat "$static/VERSIONS"
