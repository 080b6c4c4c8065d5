// Browser benchmark of Spyglass's ingest (not part of the default test run):
//   node tests/e2e/bench.mjs [--mb 500] [--file PATH] [--dpr 2] [--cores N] [--memory MiB] [--series]
// --cores N makes the page see N cores (navigator.hardwareConcurrency): it starts N - 1 parse workers.
// Needs dist/ (`trunk build --release`) and, to generate the data, the CLI (`target/release/spyglass`,
// built here when missing). The stream file is `spyglass demo --out bench-data/demo-MB --size-mb MB`'s
// agent-work-stream.jsonl, reused when present.
//
// In one headless Chromium run it measures, for the same file:
//   (a) the rate of merely reading it: File.stream() and every chunk, no processing, in a worker and
//       on a page (a page of the bench's own, `/__bench/read.html`, so Spyglass's page is untouched);
//       once before and once after the ingest (the first also warms the OS file cache);
//   (b) Spyglass's ingest: from the `change` of #file-input to <body data-state=ready> (everything
//       drawn), beside the worker's own figures (its last `progress` message, the `report` arrival);
//   (c) peak memory: RSS of Chromium's processes from /proc every 50 ms (the page and its worker live
//       in one renderer process: that is the figure the 512 MB target is about), the page's JS heap
//       (CDP Performance.getMetrics) and the worker's Wasm memory (`wasm_bytes` of its messages);
//   (d) the longest main-thread task during the load (PerformanceObserver `longtask`).
// Targets (issue 5): ingest >= half the read rate; peak renderer memory < 512 MB whatever the size.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.join(root, 'dist');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const mb = Number(opt('--mb', 500));
const dpr = Number(opt('--dpr', 2));
const cores = opt('--cores', null);
// --memory MiB opens the page with ?memory=MiB (the tab's memory target; a file whose records do
// not fit stops at its last line that does)
const memory = opt('--memory', null);
const MiB = 1 << 20;

if (!fs.existsSync(path.join(dist, 'index.html'))) {
  console.error('dist/ is missing: run `trunk build --release` first');
  process.exit(2);
}

// ---- the data -------------------------------------------------------------------------------
let file = opt('--file', null);
if (!file) {
  const dir = path.join(root, 'bench-data', `demo-${mb}`);
  file = path.join(dir, 'agent-work-stream.jsonl');
  if (!fs.existsSync(file) || fs.statSync(file).size < mb * 1e6) {
    const cli = path.join(root, 'target', 'release', 'spyglass');
    if (!fs.existsSync(cli)) execFileSync('cargo', ['build', '--release', '--bin', 'spyglass'], { cwd: root, stdio: 'inherit' });
    console.log(`generating ${mb} MB of demo data in ${path.relative(root, dir)}/ …`);
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync(cli, ['demo', '--out', dir, '--size-mb', String(mb)], { stdio: 'inherit' });
  }
}
const size = fs.statSync(file).size;
console.log(`file: ${path.relative(root, file)} (${(size / 1e6).toFixed(1)} MB)`);

// ---- a static server for dist/, plus the bench's own read page ------------------------------
const readPage = `<!doctype html><meta charset="utf-8"><title>read</title><input type="file" id="f">
<script>
const readLoop = async (file) => {
  const t0 = performance.now();
  const reader = file.stream().getReader();
  let bytes = 0, chunks = 0, maxChunk = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength; chunks++; if (value.byteLength > maxChunk) maxChunk = value.byteLength;
  }
  return { bytes, ms: performance.now() - t0, chunks, maxChunk };
};
const workerUrl = URL.createObjectURL(new Blob(['const readLoop = ' + readLoop.toString() + ';\\nonmessage = async (e) => postMessage(await readLoop(e.data));'], { type: 'text/javascript' }));
window.readInPage = () => readLoop(document.getElementById('f').files[0]);
window.readInWorker = () => new Promise((resolve, reject) => {
  const w = new Worker(workerUrl);
  w.onmessage = (e) => { w.terminate(); resolve(e.data); };
  w.onerror = (e) => reject(new Error(e.message));
  w.postMessage(document.getElementById('f').files[0]);
});
</script>`;
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/__bench/read.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(readPage);
    return;
  }
  let p = decodeURIComponent(url.pathname);
  if (p.endsWith('/')) p += 'index.html';
  const f = path.join(dist, path.normalize(p));
  if (!f.startsWith(dist) || !fs.existsSync(f)) { res.writeHead(404); res.end('not found'); return; }
  res.writeHead(200, { 'content-type': types[path.extname(f)] || 'application/octet-stream' });
  fs.createReadStream(f).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

// ---- memory of Chromium's processes, from /proc ---------------------------------------------
// Chromium is a child of this process (playwright spawns it): its processes are our descendants
function descendants(pid) {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  const out = [];
  const walk = (p) => { for (const k of kids.get(p) || []) { out.push(k); walk(k); } };
  walk(pid);
  return out;
}
let procs = [];
const refreshProcs = () => {
  procs = descendants(process.pid).map((pid) => {
    let type = 'other';
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/chrom/.test(cmd.split('\0')[0])) return null;
      type = (cmd.match(/--type=([a-z-]+)/) || [, 'browser'])[1];
    } catch { /* gone */ }
    return { pid, type };
  }).filter(Boolean);
};
const rssOf = (pid) => {
  try { return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)[1]) * 1024; } catch { return 0; }
};
const mem = { renderer: 0, total: 0, samples: 0, series: [] };
let ticks = 0;
const sampler = setInterval(() => {
  if (ticks++ % 20 === 0) refreshProcs();
  let total = 0, renderer = 0;
  for (const p of procs) {
    const r = rssOf(p.pid);
    total += r;
    if (p.type === 'renderer') renderer = Math.max(renderer, r);
  }
  mem.renderer = Math.max(mem.renderer, renderer);
  mem.series.push([Date.now(), renderer]);
  mem.total = Math.max(mem.total, total);
  mem.samples++;
}, 50);
// CPU seconds per process type and thread name (`renderer/DedicatedWorker …`), to see who is busy
const HZ = 100;
function cpuByThread() {
  refreshProcs();
  const out = new Map();
  for (const p of procs) {
    let tids = [];
    try { tids = fs.readdirSync(`/proc/${p.pid}/task`); } catch { continue; }
    for (const tid of tids) {
      try {
        const st = fs.readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        const comm = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')).replace(/[0-9]+$/, '').trim();
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        const key = `${p.type}/${comm}`;
        out.set(key, (out.get(key) || 0) + (Number(f[11]) + Number(f[12])) / HZ);
      } catch { /* gone */ }
    }
  }
  return out;
}
const cpuDiff = (a, b) => [...b].map(([k, v]) => [k, v - (a.get(k) || 0)]).filter(([, v]) => v >= 0.05).sort((x, y) => y[1] - x[1]);
const resetMem = () => { refreshProcs(); mem.renderer = 0; mem.total = 0; mem.samples = 0; mem.series = []; };
const snapshotRenderer = () => { refreshProcs(); return Math.max(0, ...procs.filter((p) => p.type === 'renderer').map((p) => rssOf(p.pid))); };

// ---- (a) reading only -----------------------------------------------------------------------
async function readRates() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '__bench/read.html');
  await page.setInputFiles('#f', [file]);
  resetMem();
  const cpu0 = cpuByThread();
  const worker = await page.evaluate(() => window.readInWorker());
  const cpu = cpuDiff(cpu0, cpuByThread());
  const peak = mem.renderer;
  const inPage = await page.evaluate(() => window.readInPage());
  await context.close();
  if (worker.bytes !== size || inPage.bytes !== size) throw new Error(`read ${worker.bytes}/${inPage.bytes} of ${size} bytes`);
  return { worker, page: inPage, cpu, peak };
}
const rate = (bytes, ms) => bytes / 1e6 / (ms / 1000);

await readRates(); // warm-up: the OS file cache and the browser's blob reading
const readBefore = await readRates();

// ---- (b, c, d) Spyglass's ingest ------------------------------------------------------------
const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: dpr });
if (cores) await context.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }), Number(cores));
await context.addInitScript(() => {
  const b = (window.__bench = { states: [], msgs: [], long: [], change: null });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) b.long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        const d = e.data;
        if (d && (d.type === 'progress' || d.type === 'report')) b.msgs.push({ t: performance.now(), type: d.type, done: d.done, total: d.total, mb_per_s: d.mb_per_s, wasm_bytes: d.wasm_bytes, records_bytes: d.records_bytes, core_ms: d.core_ms, wait_ms: d.wait_ms, busy: d.busy, parsers: d.parsers });
      });
    }
  };
  addEventListener('TrunkApplicationStarted', (e) => { b.appWasm = e.detail.wasm; });
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(() => b.states.push([performance.now(), document.body.dataset.state])).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
    document.querySelector('#file-input').addEventListener('change', () => { b.change = performance.now(); }, { capture: true });
  });
});
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
await page.goto(base + (memory ? `?memory=${memory}` : ''));
await page.waitForFunction(() => document.body.dataset.state === 'empty');
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const heapNow = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize').value;
const baseline = { renderer: snapshotRenderer(), heap: await heapNow() };
resetMem();
let heapPeak = 0;
let loading = true;
const heapPoll = (async () => {
  while (loading) {
    try { heapPeak = Math.max(heapPeak, await heapNow()); } catch { /* page busy or gone */ }
    await new Promise((r) => setTimeout(r, 200));
  }
})();
const cpu0 = cpuByThread();
const wall0 = Date.now();
const pageT0 = await page.evaluate(() => performance.now());
await page.setInputFiles('#file-input', [file]);
await page.waitForFunction(() => document.body.dataset.state === 'ready' || document.body.dataset.state === 'error', null, { timeout: 30 * 60 * 1000, polling: 100 });
const wall = Date.now() - wall0;
const cpuIngest = cpuDiff(cpu0, cpuByThread());
loading = false;
await heapPoll;
const peak = { renderer: mem.renderer, total: mem.total, samples: mem.samples, series: mem.series.slice() };
const b = await page.evaluate(() => {
  const b = window.__bench;
  const ready = b.states.filter(([t, s]) => t >= b.change && (s === 'ready' || s === 'error')).pop();
  return { banner: document.querySelector('#banner')?.textContent ?? '', appWasm: b.appWasm?.memory?.buffer?.byteLength ?? 0, change: b.change, ready, states: b.states, msgs: b.msgs, long: b.long.filter(([t]) => t >= b.change), sessions: [...document.querySelectorAll('#overview .card')].find((c) => c.querySelector('.card-label').textContent === 'Sessions')?.querySelector('.card-value').textContent };
});
await context.close();

// ---- reading again, after the ingest ---------------------------------------------------------
const readAfter = await readRates();
clearInterval(sampler);
await browser.close();
server.close();

// ---- the table ------------------------------------------------------------------------------
if (!b.ready || b.ready[1] !== 'ready') {
  console.log(`the page ended in state ${b.ready && b.ready[1]}: ${errors.join(' | ')}`);
  process.exit(1);
}
const ingestMs = b.ready[0] - b.change;
const progress = b.msgs.filter((m) => m.type === 'progress' && m.t >= b.change);
const lastProgress = progress[progress.length - 1];
const report = b.msgs.filter((m) => m.type === 'report' && m.t >= b.change).pop();
const wasm = Math.max(0, ...b.msgs.map((m) => m.wasm_bytes || 0));
const longest = Math.max(0, ...b.long.map(([, d]) => d));
const readW = Math.max(rate(size, readBefore.worker.ms), rate(size, readAfter.worker.ms));
const readP = Math.max(rate(size, readBefore.page.ms), rate(size, readAfter.page.ms));
// a file stopped at the memory budget: the rates are of what was loaded (the banner says how much)
const stoppedAt = /stopped after line [\d,]+ \(([\d.]+) MB of/.exec(b.banner);
const loaded = stoppedAt ? Number(stoppedAt[1]) * 1e6 : size;
const ingest = rate(loaded, ingestMs);
// ingest proper: bytes in the store by the worker's last progress message (the report and the
// drawing come after, in the to-ready figure)
const ingestStore = lastProgress ? rate(lastProgress.done, lastProgress.t - b.change) : 0;
const parsers = Math.max(0, ...progress.map((m) => m.parsers || 0));
const f1 = (x) => x.toFixed(1);
const fmb = (x) => `${(x / MiB).toFixed(0)} MiB`;

console.log('');
console.log(`read (File.stream(), all chunks): worker ${f1(rate(size, readBefore.worker.ms))} / ${f1(rate(size, readAfter.worker.ms))} MB/s (before / after the ingest), page ${f1(rate(size, readBefore.page.ms))} / ${f1(rate(size, readAfter.page.ms))} MB/s; ${readBefore.worker.chunks} chunks of at most ${readBefore.worker.maxChunk} bytes`);
console.log(`ingest: change → data-state=ready ${f1(ingestMs / 1000)} s (wall ${f1(wall / 1000)} s); worker's last progress at ${f1((lastProgress?.t - b.change) / 1000)} s (${f1(lastProgress?.mb_per_s ?? 0)} MB/s, ${f1((lastProgress?.done ?? 0) / 1e6)} MB done; ${f1((lastProgress?.core_ms ?? 0) / 1000)} s in the core, ${f1((lastProgress?.wait_ms ?? 0) / 1000)} s waiting for chunks), report arrived at ${f1((report?.t - b.change) / 1000)} s; ${progress.length} progress messages; sessions card ${b.sessions}`);
// when the peak came: while reading (until the report arrived) or while drawing
const atPage = (t) => wall0 + (t - pageT0);
const peakWhile = (from, to) => Math.max(0, ...peak.series.filter(([t]) => t >= from && t < to).map(([, r]) => r));
const reportAt = report ? atPage(report.t) : Infinity;
if (/too large/.test(b.banner)) console.log(`stopped at the memory budget: ${b.banner.trim()}`);
console.log(`memory peak while reading ${fmb(peakWhile(0, reportAt))}, while computing and drawing ${fmb(peakWhile(reportAt, Infinity))}; worker Wasm memory at the last progress ${fmb(lastProgress?.wasm_bytes ?? 0)}, with the report ${fmb(report?.wasm_bytes ?? 0)} (records ${fmb(report?.records_bytes ?? 0)}); the page's Wasm memory ${fmb(b.appWasm)}`);
console.log(`memory: renderer RSS ${fmb(baseline.renderer)} before → peak ${fmb(peak.renderer)}; all Chromium processes peak ${fmb(peak.total)}; page JS heap ${fmb(baseline.heap)} → peak ${fmb(heapPeak)}; worker Wasm memory ${wasm ? fmb(wasm) : 'n/a'} (${peak.samples} samples)`);
// --series: the renderer's RSS over the load, every ~0.5 s, with the worker's messages in between
if (args.includes('--series')) {
  const marks = b.msgs.filter((m) => m.t >= b.change && m.type !== 'progress').map((m) => [atPage(m.t), `${m.type}${m.wasm_bytes ? ` (worker Wasm ${fmb(m.wasm_bytes)})` : ''}`]);
  let last = -Infinity;
  for (const [t, r] of peak.series) {
    while (marks.length && marks[0][0] <= t) console.log(`  ${f1((marks[0][0] - atPage(b.change)) / 1000)} s  ${marks.shift()[1]}`);
    if (t - last >= 500) { console.log(`  ${f1((t - atPage(b.change)) / 1000)} s  renderer ${fmb(r)}`); last = t; }
  }
}
const cpuText = (list) => list.slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ');
console.log(`CPU while reading only (worker): ${cpuText(readBefore.cpu)}; renderer RSS peak ${fmb(readBefore.peak)}`);
console.log(`CPU while ingesting: ${cpuText(cpuIngest)}`);
console.log(`main thread: ${b.long.length} long tasks, longest ${longest.toFixed(0)} ms${errors.length ? `; page errors: ${errors.join(' | ')}` : ''}`);
console.log('');
const head = ['file', 'size MB', 'parse workers', 'read MB/s (worker)', 'ingest MB/s (in the store)', 'ingest/read', 'to ready MB/s', 'ready/read', 'peak renderer RSS', 'peak JS heap', 'Wasm memory', 'longest task'];
const row = [path.basename(file), f1(size / 1e6), parsers, f1(readW), f1(ingestStore), (ingestStore / readW).toFixed(2), f1(ingest), (ingest / readW).toFixed(2), fmb(peak.renderer), fmb(heapPeak), wasm ? fmb(wasm) : 'n/a', `${longest.toFixed(0)} ms`];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => ' --- ').join('|')}|`);
console.log(`| ${row.join(' | ')} |`);
const okRate = ingestStore >= readW / 2;
const okMem = peak.renderer < 512 * MiB;
console.log('');
console.log(`target ingest >= half the read rate: ${okRate ? 'met' : 'MISSED'} (${f1(ingestStore)} vs ${f1(readW / 2)} MB/s; to ready ${f1(ingest)})`);
console.log(`target peak memory < 512 MiB: ${okMem ? 'met' : 'MISSED'} (renderer ${fmb(peak.renderer)})`);
