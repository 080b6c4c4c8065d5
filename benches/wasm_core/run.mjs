// The ingest core alone in V8 (the engine of Chromium), beside the same core natively: the Wasm /
// native ratio of issue 16 without a browser's threads, and a per-function profile with
// `node --cpu-prof benches/wasm_core/run.mjs FILE` (the module keeps its name section).
//   cargo build --example wasm_core --target wasm32-unknown-unknown --profile wasm-worker
//   node benches/wasm_core/run.mjs FILE [--runs 3] [--wasm A.wasm --wasm B.wasm] [--chromium]
// With several --wasm modules the runs alternate between them (A B A B …), so that two builds are
// compared under the same load on the machine; each one's best is printed.
// --chromium runs the same in a dedicated worker of headless Chromium (Debian's, driven by the e2e
// tests' playwright-core: `npm ci --omit=dev` in tests/e2e), the file already in the worker's
// memory: the core in the browser's engine without the page's reading, messages and drawing.
// Every run's rate is printed, so V8's optimising tier can be seen coming in from run to run.
// The module is benches/wasm_core/core.rs: `begin(size)`, `buffer(len)`, `push(len)`, `finish()`;
// 1 MiB chunks are copied into its memory, as the page's worker hands its feed file chunks.
// The wasm-bindgen imports of the library's web layer are never called here: they are stubbed.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !['--runs', '--wasm'].includes(args[i - 1]));
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 3);
if (!file) { console.error('usage: node benches/wasm_core/run.mjs FILE [--runs N] [--wasm PATH]… [--chromium]'); process.exit(2); }
const wasmPaths = args.flatMap((a, i) => (a === '--wasm' ? [args[i + 1]] : []));
if (!wasmPaths.length) wasmPaths.push(path.join(root, 'target/wasm32-unknown-unknown/wasm-worker/examples/wasm_core.wasm'));

// The two functions below run in Node and, as text, in Chromium's worker: no closures over this file.
// An import object whose functions throw (the web layer's imports are never called).
function stubImports(module) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    imports[imp.module][imp.name] = imp.kind === 'function' ? () => { throw new Error('a web import was called'); } : undefined;
  }
  return imports;
}
// One run: a fresh instance fed `data` 1 MiB at a time; the time in the core (ms) and the records kept.
async function run(module, data) {
  const { exports: w } = await WebAssembly.instantiate(module, stubImports(module));
  const chunk = 1 << 20;
  let inCore = 0;
  w.begin(data.length);
  for (let at = 0; at < data.length; at += chunk) {
    const n = Math.min(chunk, data.length - at);
    const t = performance.now();
    const p = w.buffer(n);
    new Uint8Array(w.memory.buffer, p, n).set(data.subarray(at, at + n));
    w.push(n);
    inCore += performance.now() - t;
  }
  const t = performance.now();
  const records = w.finish();
  return { ms: inCore + performance.now() - t, records };
}

// Runs every module `runs` times, alternating; `runOne(moduleIndex)` does one run where the engine is.
async function alternate(runOne) {
  const times = wasmPaths.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let m = 0; m < wasmPaths.length; m++) {
      const { ms, records } = await runOne(m);
      times[m].push(ms);
      console.log(`${path.basename(wasmPaths[m])} run ${r + 1}: ${(ms / 1000).toFixed(3)} s in the core, ${(size / 1e3 / ms).toFixed(0)} MB/s, ${records} records`);
    }
  }
  return times;
}

const size = fs.statSync(file).size;
let engine, times;
if (!args.includes('--chromium')) {
  engine = 'Node';
  const data = fs.readFileSync(file);
  const modules = await Promise.all(wasmPaths.map((p) => WebAssembly.compile(fs.readFileSync(p))));
  times = await alternate((m) => run(modules[m], data));
} else {
  engine = 'a Chromium worker';
  const { chromium } = await import(path.join(root, 'tests/e2e/node_modules/playwright-core/index.mjs'));
  // the page: a file input and a worker that compiles the modules and runs them on the file's bytes
  const workerSource = `${stubImports}\n${run}\nlet modules, data;\nonmessage = async (e) => {
  if (e.data.file) { modules = await Promise.all(e.data.wasm.map((b) => WebAssembly.compile(b))); data = new Uint8Array(await e.data.file.arrayBuffer()); postMessage('ready'); }
  else postMessage(await run(modules[e.data.m], data));
};`;
  const page = `<!doctype html><meta charset="utf-8"><input type="file" id="f"><script>
const worker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(workerSource)}], { type: 'text/javascript' })));
const ask = (msg) => new Promise((resolve, reject) => { worker.onmessage = (e) => resolve(e.data); worker.onerror = (e) => reject(new Error(e.message)); worker.postMessage(msg); });
window.load = async (n) => ask({ file: document.getElementById('f').files[0], wasm: await Promise.all([...Array(n).keys()].map(async (i) => (await fetch('/m' + i + '.wasm')).arrayBuffer())) });
window.runOne = (m) => ask({ m });
</script>`;
  const server = http.createServer((req, res) => {
    const m = /^\/m(\d+)\.wasm$/.exec(req.url);
    if (m && wasmPaths[m[1]]) { res.writeHead(200, { 'content-type': 'application/wasm' }); fs.createReadStream(wasmPaths[m[1]]).pipe(res); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.setInputFiles('#f', [file]);
    await tab.evaluate((n) => window.load(n), wasmPaths.length);
    times = await alternate((m) => tab.evaluate((i) => window.runOne(i), m));
  } finally {
    await browser.close();
    server.close();
  }
}
for (let m = 0; m < wasmPaths.length; m++) {
  const best = Math.min(...times[m]);
  console.log(`Wasm core in ${engine} (${path.basename(wasmPaths[m])}): ${(size / 1e6 / (best / 1000)).toFixed(0)} MB/s (best of ${runs}, ${(size / 1e6).toFixed(0)} MB; run by run ${times[m].map((ms) => (size / 1e3 / ms).toFixed(0)).join(' / ')})`);
}
