// Looks at the running demo the way a person would: opens its URL in headless Chromium, plays a few
// steps, and saves a screenshot. Used to check the product by eye (`npm run demo` first).
// Usage: node out/scripts/screenshot.js [step ...] — steps: key:Control+p, type:text, click:<selector>,
// wait:<ms>, shot:<file.png>; a final screenshot goes to .demo/screenshot.png.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../test/host/codeServer';

async function main(): Promise<void> {
  const url = readFileSync(path.join(REPO_ROOT, '.demo', 'url.txt'), 'utf8').trim();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    await page.goto(url);
    await page.waitForTimeout(8000);
    for (const step of process.argv.slice(2)) {
      const [verb, ...rest] = step.split(':');
      const arg = rest.join(':');
      if (verb === 'key') await page.keyboard.press(arg);
      else if (verb === 'type') await page.keyboard.type(arg);
      else if (verb === 'click') await page.click(arg, { timeout: 10_000 });
      else if (verb === 'wait') await page.waitForTimeout(Number(arg));
      else if (verb === 'shot') await page.screenshot({ path: arg });
      else throw new Error(`unknown step ${step}`);
    }
    await page.screenshot({ path: path.join(REPO_ROOT, '.demo', 'screenshot.png') });
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshot failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
