import type { PowRequest, PowResponse } from './pow-worker.ts';

/** Solves a proof-of-work challenge of the server (contact form, held-back sign-in) in a Web Worker. */
export function solveInWorker(challenge: string, difficulty: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pow-worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (event: MessageEvent<PowResponse>) => {
      worker.terminate();
      if ('nonce' in event.data) resolve(event.data.nonce);
      else reject(new Error(event.data.error));
    });
    worker.addEventListener('error', (event) => {
      worker.terminate();
      reject(new Error(event.message || 'proof of work failed'));
    });
    const request: PowRequest = { challenge, difficulty };
    worker.postMessage(request);
  });
}
