// ad-hoc: CPU profile of the workers while the page ingests a file (not committed)
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
const dist = '/work/main/dist';
const file = process.argv[2];
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname); if (p.endsWith('/')) p += 'index.html';
  const f = path.join(dist, p);
  if (!fs.existsSync(f)) { res.writeHead(404); res.end(); return; }
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
  res.writeHead(200, { 'content-type': types[path.extname(f)] || 'application/octet-stream' }); fs.createReadStream(f).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext();
const page = await context.newPage();
const cdp = await browser.newBrowserCDPSession();
const sessions = [];
cdp.on('Target.attachedToTarget', async (e) => { if (e.targetInfo.type === 'worker') sessions.push({ id: e.sessionId, url: e.targetInfo.url, title: e.targetInfo.title }); });
await cdp.send('Target.setDiscoverTargets', { discover: true });
await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForFunction(() => document.body.dataset.state === 'empty');
await page.waitForTimeout(1000);
// attach to each worker target explicitly
const { targetInfos } = await cdp.send('Target.getTargets');
for (const t of targetInfos.filter((t) => t.type === 'worker')) {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: true });
  sessions.push({ id: sessionId, title: t.title });
}
const send = (id, method, params = {}) => cdp.send('Target.sendMessageToTarget', { sessionId: id, message: JSON.stringify({ id: Math.floor(Math.random() * 1e9), method, params }) });
console.log('workers', sessions.length);
// use raw flattened sessions via connection
const conn = cdp._connection ?? null;
await page.setInputFiles('#file-input', [file]);
await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 600000 });
await browser.close(); server.close();
