// Where the page's memory goes (not part of the test run): Chromium's memory-infra dumps of every
// process — by allocator: malloc, partition_alloc, v8, blink_gc, canvas, cc tiles, shared memory —
// with the page idle, half-way through loading FILE and once it is ready. The worker's Wasm memory
// is not among them (bench.mjs reports it).
//   node tests/e2e/memdump.mjs FILE [DPR]        (DEPTH=4 for deeper allocator names, HALF=50)
// Needs dist/ (`trunk build --release`).
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../dist');
const file = process.argv[2];
const dpr = Number(process.argv[3] || 2);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (p.endsWith('/')) p += 'index.html';
  const f = path.join(dist, path.normalize(p));
  if (!fs.existsSync(f)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': types[path.extname(f)] || 'application/octet-stream' });
  fs.createReadStream(f).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--enable-memory-infra'] });
const bcdp = await browser.newBrowserCDPSession();
const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: dpr });
const page = await context.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForFunction(() => document.body.dataset.state === 'empty');
async function dump(label) {
  const chunks = [];
  bcdp.on('Tracing.dataCollected', (e) => chunks.push(...e.value));
  const done = new Promise((r) => bcdp.once('Tracing.tracingComplete', r));
  await bcdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-memory-infra'], memoryDumpConfig: { triggers: [] } } });
  const r = await bcdp.send('Tracing.requestMemoryDump', { deterministic: true, levelOfDetail: 'detailed' });
  await bcdp.send('Tracing.end');
  await done;
  const dumps = chunks.filter((e) => e.ph === 'v');
  console.log(`== ${label} (dump ok ${r.success})`);
  for (const d of dumps) {
    const a = d.args?.dumps?.allocators;
    if (!a) continue;
    const totals = d.args.dumps.process_totals || {};
    const rss = totals.resident_set_bytes ? parseInt(totals.resident_set_bytes, 16) : 0;
    const top = Object.entries(a).filter(([k]) => k.split('/').length <= (process.env.DEPTH ? Number(process.env.DEPTH) : 2) && !/shared_memory\/|global\//.test(k)).map(([k, v]) => [k, parseInt(v.attrs?.size?.value || '0', 16)]).filter(([, v]) => v > 1 << 20).sort((x, y) => y[1] - x[1]).slice(0, 60);
    console.log(`pid ${d.pid} rss ${(rss / 1048576).toFixed(0)} MiB: ` + top.map(([k, v]) => `${k} ${(v / 1048576).toFixed(1)}`).join(', '));
  }
}
await dump('idle');
if (file) {
  await page.setInputFiles('#file-input', [file]);
  await page.waitForFunction((half) => parseFloat(document.querySelector('#progress-bar')?.style.width || '0') >= half, Number(process.env.HALF || 50), { timeout: 600000, polling: 50 });
  await dump('mid-load');
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 600000 });
  await dump('ready');
}
await browser.close();
server.close();
