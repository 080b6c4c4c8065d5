// The bench's own pages for the other contenders (served by bench.mjs under /__bench/, so
// Spyglass's page stays untouched). Each page has a file input #f and one global async function
// that the bench calls with page.evaluate; each runs its work in a worker.

// ---- JSON.parse per line in a worker ----------------------------------------------------------
// The plain JavaScript way: File.stream(), a streaming TextDecoder, split at '\n', JSON.parse each
// line, count event_type per executor. The worker answers with its own timing.
const jsonParseWorker = () => {
  onmessage = async (e) => {
    const file = e.data;
    const t0 = performance.now();
    const reader = file.stream().getReader();
    const dec = new TextDecoder();
    const counts = new Map(); // executor → Map(event_type → n)
    let carry = '', lines = 0, bad = 0, bytes = 0;
    const line = (s) => {
      if (!s) return;
      lines++;
      let o;
      try { o = JSON.parse(s); } catch { bad++; return; }
      if (!o || typeof o !== 'object') { bad++; return; }
      let m = counts.get(o.executor);
      if (!m) counts.set(o.executor, (m = new Map()));
      m.set(o.event_type, (m.get(o.event_type) || 0) + 1);
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      const text = carry + dec.decode(value, { stream: true });
      let start = 0;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
        line(text.slice(start, i));
        start = i + 1;
      }
      carry = text.slice(start);
    }
    line(carry + dec.decode());
    const ms = performance.now() - t0;
    let groups = 0, counted = 0;
    for (const m of counts.values()) for (const n of m.values()) { groups++; counted += n; }
    postMessage({ bytes, ms, lines, bad, groups, counted });
  };
};

export const jsonParsePage = `<!doctype html><meta charset="utf-8"><title>JSON.parse</title><input type="file" id="f">
<script>
const workerUrl = URL.createObjectURL(new Blob(['(' + ${JSON.stringify(jsonParseWorker.toString())} + ')()'], { type: 'text/javascript' }));
window.runJsonParse = () => new Promise((resolve, reject) => {
  const w = new Worker(workerUrl);
  w.onmessage = (e) => { w.terminate(); resolve(e.data); };
  w.onerror = (e) => reject(new Error(e.message));
  w.postMessage(document.getElementById('f').files[0]);
});
</script>`;

// ---- DuckDB-Wasm ------------------------------------------------------------------------------
// `nm` is the URL prefix under which the bench serves tests/e2e/node_modules; `pkg` the package's
// folder there; `imports` the module files (under `nm`) its bare imports resolve to (an import
// map: the page imports the package's ESM build, which imports apache-arrow, which imports
// flatbuffers and tslib). AsyncDuckDB runs DuckDB in the package's own worker (the `eh` bundle: Chromium
// has Wasm exceptions; without cross-origin isolation it runs on one thread, like Spyglass's
// worker on this machine). The File is registered as a handle (BROWSER_FILEREADER: the worker
// reads slices of it as DuckDB asks), nothing is copied ahead.
//
// window.runDuckDB(variant, extRepo):
//   'probe'  – instantiate, say whether JSON is there (built in, or loaded from extRepo);
//   'query'  – read_json + GROUP BY straight from the file (the native bench's query);
//   'table'  – CREATE TABLE from read_json, then two queries on the table.
export const duckdbPage = ({ nm, pkg, imports }) => `<!doctype html><meta charset="utf-8"><title>DuckDB-Wasm</title>
<script type="importmap">${JSON.stringify({ imports: Object.fromEntries(Object.entries(imports).map(([k, v]) => [k, `${nm}/${v}`])) })}</script>
<input type="file" id="f">
<script type="module">
import * as duckdb from '${nm}/${pkg}/dist/duckdb-browser.mjs';
const dist = '${nm}/${pkg}/dist/';
const READ = \`read_json('stream.jsonl', format='newline_delimited',
  columns={'timestamp':'VARCHAR','attempt_id':'VARCHAR','executor':'VARCHAR','model':'VARCHAR','event_type':'VARCHAR'},
  ignore_errors=true, maximum_object_size=67108864)\`;
const rows = (t) => t.toArray().map((r) => Object.fromEntries(Object.entries(r.toJSON()).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
window.runDuckDB = async (variant, extRepo) => {
  const out = { variant };
  const t0 = performance.now();
  const worker = new Worker(dist + 'duckdb-browser-eh.worker.js');
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  try {
    await db.instantiate(dist + 'duckdb-eh.wasm');
    const conn = await db.connect();
    out.version = rows(await conn.query('SELECT version() AS v'))[0].v;
    out.initMs = performance.now() - t0;
    // is JSON there? (duckdb_extensions() lists it as loaded when it is linked in)
    const json = async () => { try { await conn.query(\`SELECT json_extract('{"a":1}', '$.a')\`); return true; } catch (e) { out.jsonError = String(e.message || e).split('\\n')[0]; return false; } };
    try { await conn.query('SET autoinstall_known_extensions=false'); } catch { /* older DuckDB */ }
    out.jsonBuiltIn = await json();
    if (!out.jsonBuiltIn && extRepo) {
      // the extension file served by the bench (--duckdb-ext DIR), never the network
      try {
        await conn.query(\`SET custom_extension_repository='\${extRepo}'\`);
        await conn.query('INSTALL json');
        await conn.query('LOAD json');
        out.jsonLoaded = await json();
      } catch (e) { out.jsonError = String(e.message || e).split('\\n')[0]; out.jsonLoaded = false; }
    }
    if (variant === 'probe' || !(out.jsonBuiltIn || out.jsonLoaded)) return out;
    await db.registerFileHandle('stream.jsonl', document.getElementById('f').files[0], duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const q = async (sql) => { const t = performance.now(); const r = rows(await conn.query(sql)); return [r, performance.now() - t]; };
    if (variant === 'query') {
      const [r, ms] = await q(\`SELECT executor, event_type, count(*) AS n FROM \${READ} GROUP BY ALL\`);
      Object.assign(out, { ms, groups: r.length, counted: r.reduce((s, x) => s + x.n, 0) });
    } else {
      const [, loadMs] = await q(\`CREATE TABLE ev AS SELECT * FROM \${READ}\`);
      const [r1, q1Ms] = await q('SELECT executor, event_type, count(*) AS n FROM ev GROUP BY ALL');
      const [r2, q2Ms] = await q('SELECT model, count(*) AS n, count(DISTINCT attempt_id) AS attempts, min(timestamp) AS first, max(timestamp) AS last FROM ev GROUP BY ALL');
      Object.assign(out, { loadMs, q1Ms, q2Ms, ms: loadMs + q1Ms + q2Ms, groups: r1.length, counted: r1.reduce((s, x) => s + x.n, 0), models: r2.length });
    }
    return out;
  } finally {
    await db.terminate();
  }
};
window.duckdbReady = true;
</script>`;
