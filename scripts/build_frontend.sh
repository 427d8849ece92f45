#!/usr/bin/env bash
# Build the static files the pages need from the npm registry's packages
# (pinned in package-lock.json) into static/vendor/nhsuk/ (gitignored).
# axe-core stays in node_modules/axe-core/axe.min.js, where the browser tests read it.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund --loglevel=error

src=node_modules/nhsuk-frontend/dist/nhsuk
out=static/vendor/nhsuk
rm -rf "$out"
mkdir -p "$out/assets"
cp -R "$src/assets/images" "$out/assets/images"
cp "$src/assets/manifest.json" "$out/assets/manifest.json"

# The packaged CSS points at /assets/ (site root) and at Frutiger on assets.nhs.uk.
# We serve everything ourselves under /static/ and the CSP allows fonts only from
# 'self', so: make the image URLs relative to the CSS file, drop the @font-face
# rules (the font stack falls back to Arial), and drop source-map comments, which
# the manifest storage would otherwise try to resolve.
node - "$src" "$out" <<'JS'
const fs = require("fs");
const [src, out] = process.argv.slice(2);
const stripMap = (text) => text.replace(/\/[*\/]# sourceMappingURL=\S+(\s*\*\/)?/g, "");
let css = fs.readFileSync(`${src}/nhsuk-frontend.min.css`, "utf8");
css = css.replace(/url\(\/assets\//g, "url(assets/");
css = css.replace(/@font-face\{[^}]*\}/g, "");
if (/assets\.nhs\.uk|url\(\/assets/.test(css)) throw new Error("nhsuk-frontend CSS still points off-site");
fs.writeFileSync(`${out}/nhsuk-frontend.min.css`, stripMap(css));
const js = fs.readFileSync(`${src}/nhsuk-frontend.min.js`, "utf8");
fs.writeFileSync(`${out}/nhsuk-frontend.min.js`, stripMap(js));
JS

test -f node_modules/axe-core/axe.min.js
echo "Front end built into $out (nhsuk-frontend $(node -p 'require("nhsuk-frontend/package.json").version'))."
