#!/usr/bin/env python3
"""Trunk post-build hook: puts the sha256 of every inline <script> of index.html into its CSP.

The CSP meta tag carries the placeholder `'inline-hashes'` in script-src; it is replaced by the
hashes of the inline scripts Trunk generated, so no 'unsafe-inline' is needed.
Usage: csp_hash.py [DIR] (default: $TRUNK_STAGING_DIR, else dist)."""
import base64, hashlib, os, re, sys

root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "dist")
path = os.path.join(root, "index.html")
html = open(path, encoding="utf-8").read()
hashes = []
for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
    digest = base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode()
    hashes.append(f"'sha256-{digest}'")
html = html.replace("'inline-hashes'", " ".join(hashes) if hashes else "")
open(path, "w", encoding="utf-8").write(html)
