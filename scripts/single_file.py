#!/usr/bin/env python3
"""Builds dist-single/spyglass.html from Trunk's dist/: one self-contained file that works from
file://. The stylesheet is inlined; both Wasm files are inlined as base64; the app's JS module is
imported from a Blob URL; the worker is started from a Blob URL holding worker.js plus an init call
with its inlined Wasm (the app reads that URL from window.__SPYGLASS_WORKER_URL). The CSP keeps
'self'-free hashes: only this file's own inline code, blob: modules and Wasm compilation run.

Usage: single_file.py [DIST] [OUT]"""
import base64, hashlib, json, os, re, sys

dist = sys.argv[1] if len(sys.argv) > 1 else "dist"
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join("dist-single", "spyglass.html")
html = open(os.path.join(dist, "index.html"), encoding="utf-8").read()

def read(name, mode="r"):
    with open(os.path.join(dist, name), mode + ("" if mode == "rb" else ""), **({} if mode == "rb" else {"encoding": "utf-8"})) as f:
        return f.read()

app_js_name = re.search(r"import init, \* as bindings from '\./([^']+\.js)'", html).group(1)
app_wasm_name = re.search(r"module_or_path: '\./([^']+\.wasm)'", html).group(1)
css_name = re.search(r'<link rel="stylesheet" href="\./([^"]+\.css)"[^>]*>', html).group(1)

app_js = read(app_js_name)
css = read(css_name)
app_wasm = base64.b64encode(read(app_wasm_name, "rb")).decode()
worker_js = read("worker.js")
worker_wasm = base64.b64encode(read("worker_bg.wasm", "rb")).decode()

def js_string(s):
    # a JS string literal safe inside <script>
    return json.dumps(s).replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")

worker_src = worker_js + "\nwasm_bindgen({ module_or_path: Uint8Array.from(atob(" + json.dumps(worker_wasm) + "), (c) => c.charCodeAt(0)) });\n"
boot = (
    "\nconst bytes = (b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0));\n"
    "const url = (text) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));\n"
    "window.__SPYGLASS_WORKER_URL = url(" + js_string(worker_src) + ");\n"
    "const app = await import(url(" + js_string(app_js) + "));\n"
    "await app.default({ module_or_path: bytes(" + json.dumps(app_wasm) + ") });\n"
)

def sha(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

csp = ("default-src 'none'; script-src 'wasm-unsafe-eval' blob: " + sha(boot) + "; worker-src blob:; "
       "connect-src blob: data:; img-src blob: data:; style-src " + sha(css) + "; object-src 'none'; base-uri 'none'; form-action 'none'")

# drop Trunk's loader, preloads and stylesheet link; put ours in
html = re.sub(r'<script type="module">.*?</script>', "", html, flags=re.S)
html = re.sub(r'<link rel="(modulepreload|preload)"[^>]*>', "", html)
html = re.sub(r'<link rel="stylesheet"[^>]*>', lambda m: "<style>" + css + "</style>", html)
html = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', lambda m: '<meta http-equiv="Content-Security-Policy" content="' + csp + '">', html)
html = html.replace("</head>", '<script type="module">' + boot + "</script>\n</head>", 1)
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
open(out, "w", encoding="utf-8").write(html)
print(f"wrote {out}: {len(html.encode()) / 1e3:.0f} kB")
