/**
 * The README's picture of the viewer: opens a trace.html written by
 * `npm run explore` at 1366x768 and saves a PNG.
 *
 *   npm run explore && npx tsx test/browser/screenshot.ts reports/monitor-check-then-wait/trace.html docs/viewer.png
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, watchErrors } from './chromium.ts';

const [page, out] = process.argv.slice(2);
if (page === undefined || out === undefined) {
  console.error('usage: tsx test/browser/screenshot.ts <trace.html> <out.png>');
  process.exit(2);
}
const browser = await launch();
try {
  const tab = await browser.context.newPage();
  const errors = watchErrors(tab);
  await tab.goto(pathToFileURL(resolve(page)).href);
  await tab.waitForSelector('body[data-ready]');
  if (errors.length > 0) throw new Error(`the page reported errors:\n${errors.join('\n')}`);
  await tab.screenshot({ path: out });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
