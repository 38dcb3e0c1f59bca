// Renders the campaign report (a local HTML file) headless, saves a full-page screenshot and
// prints what a reader sees as JSON: the title, the section headings, the tables' texts, the
// images and whether each loaded, and any request that left the file (there must be none).
// Usage: node render-report.mjs REPORT_HTML SCREENSHOT_PNG
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const [html, shot] = process.argv.slice(2);
if (!html || !shot) {
  console.error('usage: node render-report.mjs REPORT_HTML SCREENSHOT_PNG');
  process.exit(2);
}
const context = await launch();
try {
  const page = await context.newPage();
  const outside = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) outside.push(r.url());
  });
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  const seen = await page.evaluate(() => ({
    title: document.title,
    headings: [...document.querySelectorAll('h1, h2')].map((h) => h.innerText.trim()),
    planHash: document.querySelector('#plan-hash')?.innerText ?? null,
    experiments: document.querySelector('#experiments-table')?.innerText ?? null,
    runs: document.querySelector('#runs-table')?.innerText ?? null,
    failures: document.querySelector('#failures-table')?.innerText ?? null,
    routing: document.querySelector('#routing-table')?.innerText ?? null,
    images: [...document.images].map((i) => ({
      alt: i.alt,
      dataUri: i.src.startsWith('data:image/png;base64,'),
      loaded: i.complete && i.naturalWidth > 0,
      width: i.naturalWidth,
      height: i.naturalHeight,
    })),
    text: document.body.innerText,
  }));
  await page.screenshot({ path: shot, fullPage: true });
  console.log(JSON.stringify({ ...seen, outsideRequests: outside, screenshot: shot }));
} finally {
  await context.close();
}
