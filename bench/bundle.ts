// Size of what activation loads (dist/extension.js) beside the SDK bundle that is loaded on first use.
import { statSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '../test/host/codeServer';
import { report } from './report';

export function benchBundle(): void {
  const size = (f: string) => statSync(path.join(REPO_ROOT, 'dist', f)).size;
  const gz = (f: string) => zlib.gzipSync(readFileSync(path.join(REPO_ROOT, 'dist', f))).length;
  const ext = size('extension.js');
  const sdk = size('awsSdk.js');
  report(
    'bundle loaded at activation (extension.js)',
    `${(ext / 1024).toFixed(1)} KiB`,
    `SDK bundle loaded on first use ${(sdk / 1024).toFixed(1)} KiB`,
    ext / sdk,
    `gzip ${(gz('extension.js') / 1024).toFixed(1)} KiB`,
  );
}
