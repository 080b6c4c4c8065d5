// Screenshots of every section of the page on the demo data, light and dark, for a person to look
// at (not a test):  node tests/e2e/shots.mjs [OUT_DIR] [--files A,B,...]   (needs dist/ built;
// --files loads those files instead of the demo button's data)
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../dist');
const args = process.argv.slice(2);
const files = args.includes('--files') ? args[args.indexOf('--files') + 1].split(',') : null;
const outArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--files');
const outDir = path.resolve(outArg || path.join(here, 'out', 'sections'));
fs.mkdirSync(outDir, { recursive: true });
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (p.endsWith('/')) p += 'index.html';
  const file = path.join(dist, path.normalize(p));
  if (!file.startsWith(dist) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
for (const scheme of ['light', 'dark']) {
  const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 1440, height: 900 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.body.dataset.state === 'empty');
  await page.screenshot({ path: path.join(outDir, `${scheme}-00-empty.png`) });
  if (files) await page.setInputFiles('#file-input', files);
  else await page.click('text=Try the demo');
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 300000 });
  await page.screenshot({ path: path.join(outDir, `${scheme}-01-top.png`) });
  const sections = await page.$$('.section');
  let i = 2;
  for (const s of sections) {
    await s.scrollIntoViewIfNeeded();
    await page.waitForTimeout(150);
    await s.screenshot({ path: path.join(outDir, `${scheme}-${String(i++).padStart(2, '0')}.png`) });
  }
  await page.close();
}
await browser.close();
server.close();
console.log(`screenshots in ${outDir}`);
