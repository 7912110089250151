// The worker side of scanThread.ts. Reads go before scans: a read feeds the main thread's next records,
// which would otherwise wait behind scans it asked for earlier.
import { parentPort } from 'node:worker_threads';
import { answer, type ScanRequest } from './scanThread';

const reads: ScanRequest[] = [];
const scans: ScanRequest[] = [];
let pumping = false;

parentPort?.on('message', (request: ScanRequest) => {
  (request.op === 'read' ? reads : scans).push(request);
  if (!pumping) {
    pumping = true;
    setImmediate(pump);
  }
});

/** Answers one request, then lets waiting messages in (setImmediate) before choosing the next. */
function pump(): void {
  const request = reads.shift() ?? scans.shift();
  if (!request) {
    pumping = false;
    return;
  }
  void answer(request).then((reply) => {
    parentPort?.postMessage(reply);
    setImmediate(pump);
  });
}
