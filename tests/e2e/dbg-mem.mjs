import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
const dist = '/work/main/dist';
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
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ acceptDownloads: true, colorScheme: 'light', viewport: { width: 1360, height: 900 }, deviceScaleFactor: 2 });
await context.addInitScript(() => {
  const W = window.Worker; window.__m = [];
  window.Worker = class extends W { constructor(...a) { super(...a); this.addEventListener('message', (e) => { const d = e.data; if (d && d.type === 'progress') window.__m.push([d.done, d.records_bytes, d.wasm_bytes]); }); } };
});
const page = await context.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/?memory=306`);
await page.waitForFunction(() => document.body.dataset.state === 'empty');
await page.setInputFiles('#file-input', ['/work/main/tests/e2e/fixtures/telemetry.jsonl']);
await page.waitForFunction(() => document.body.dataset.state === 'ready');
await page.setInputFiles('#file-input', ['/work/main/tests/e2e/out/work/large.jsonl']);
await page.waitForFunction(() => document.body.dataset.state === 'ready' && !document.querySelector('#progress:not([hidden])'), null, { timeout: 60000 });
await new Promise((r) => setTimeout(r, 500));
console.log(JSON.stringify(await page.evaluate(() => window.__m)));
console.log(await page.textContent('#banner'));
await browser.close(); server.close();
