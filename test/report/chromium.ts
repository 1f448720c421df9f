// Headless Chromium for the report test: loads a page from a file, lets its scripts run,
// and returns the DOM as the page left it. Needs the Debian package `chromium`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function requireChromium(): string {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `headless Chromium not found at ${chromiumPath}: the HTML report test needs it. ` +
        'Install the Debian package chromium (DEBIAN_FRONTEND=noninteractive apt-get install -y chromium), or set CHROMIUM to its path.',
    );
  }
  return chromiumPath;
}

const baseArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--virtual-time-budget=5000',
];

function runChromium(args: string[]): { stdout: string; stderr: string } {
  const exe = requireChromium();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xsinfer-chromium-'));
  try {
    const run = spawnSync(exe, [...baseArgs, `--user-data-dir=${profile}`, ...args], {
      encoding: 'utf8',
      timeout: 90_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    if (run.status !== 0) throw new Error(`chromium exited ${run.status}: ${run.stderr.slice(-2000)}`);
    return { stdout: run.stdout, stderr: run.stderr };
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** The page's DOM after its scripts ran. */
export function dumpDom(htmlFile: string): string {
  return runChromium(['--dump-dom', `file://${path.resolve(htmlFile)}`]).stdout;
}

export function screenshot(htmlFile: string, png: string, size = '1280,2400'): void {
  runChromium([
    `--screenshot=${path.resolve(png)}`,
    `--window-size=${size}`,
    '--hide-scrollbars',
    `file://${path.resolve(htmlFile)}`,
  ]);
  if (!fs.existsSync(png)) throw new Error(`chromium wrote no screenshot to ${png}`);
}

/** Attributes of the first tag matching `tag` (e.g. body), as a map. */
export function attributes(dom: string, tag: string): Map<string, string> {
  const m = new RegExp(`<${tag}(\\s[^>]*)?>`).exec(dom);
  const out = new Map<string, string>();
  if (!m?.[1]) return out;
  for (const a of m[1].matchAll(/([\w-]+)="([^"]*)"/g)) out.set(a[1], a[2]);
  return out;
}

/** Every <canvas> tag's attributes. */
export function canvases(dom: string): Map<string, string>[] {
  return [...dom.matchAll(/<canvas\s[^>]*>/g)].map((m) => attributes(m[0], 'canvas'));
}
