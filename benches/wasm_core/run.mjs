// The ingest core alone in V8 (the engine of Chromium), beside the same core natively: the Wasm /
// native ratio of issue 16 without a browser's threads, and a per-function profile with
// `node --cpu-prof benches/wasm_core/run.mjs FILE` (the module keeps its name section).
//   cargo build --example wasm_core --target wasm32-unknown-unknown --profile wasm-worker
//   node benches/wasm_core/run.mjs FILE [--runs 3] [--wasm A.wasm --wasm B.wasm]
// With several --wasm modules the runs alternate between them (A B A B …), so that two builds are
// compared under the same load on the machine; each one's best is printed.
// The module is benches/wasm_core/core.rs: `begin(size)`, `buffer(len)`, `push(len)`, `finish()`;
// 1 MiB chunks are copied into its memory, as the page's worker hands its feed file chunks.
// The wasm-bindgen imports of the library's web layer are never called here: they are stubbed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !['--runs', '--wasm'].includes(args[i - 1]));
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 3);
if (!file) { console.error('usage: node benches/wasm_core/run.mjs FILE [--runs N] [--wasm PATH]…'); process.exit(2); }
const wasmPaths = args.flatMap((a, i) => (a === '--wasm' ? [args[i + 1]] : []));
if (!wasmPaths.length) wasmPaths.push(path.join(root, 'target/wasm32-unknown-unknown/wasm-worker/examples/wasm_core.wasm'));
const stub = () => { throw new Error('a web import was called'); };
const modules = [];
for (const p of wasmPaths) {
  const module = await WebAssembly.compile(fs.readFileSync(p));
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    imports[imp.module][imp.name] = imp.kind === 'function' ? stub : undefined;
  }
  modules.push({ path: p, module, imports, best: Infinity });
}
const size = fs.statSync(file).size;
const chunk = 1 << 20;
const buf = Buffer.alloc(chunk);
for (let r = 0; r < runs; r++) {
  for (const m of modules) {
    const { exports: w } = await WebAssembly.instantiate(m.module, m.imports);
    const fd = fs.openSync(file, 'r');
    let inCore = 0;
    w.begin(size);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, chunk, null);
      if (n === 0) break;
      const t = performance.now();
      const at = w.buffer(n);
      new Uint8Array(w.memory.buffer, at, n).set(buf.subarray(0, n));
      w.push(n);
      inCore += performance.now() - t;
    }
    const t = performance.now();
    const records = w.finish();
    inCore += performance.now() - t;
    fs.closeSync(fd);
    console.log(`${path.basename(m.path)} run ${r + 1}: ${(inCore / 1000).toFixed(3)} s in the core, ${(size / 1e6 / (inCore / 1000)).toFixed(0)} MB/s, ${records} records`);
    m.best = Math.min(m.best, inCore);
  }
}
for (const m of modules) console.log(`Wasm core under Node (${path.basename(m.path)}): ${(size / 1e6 / (m.best / 1000)).toFixed(0)} MB/s (best of ${runs}, ${(size / 1e6).toFixed(0)} MB)`);
