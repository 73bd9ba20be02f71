import { solveProofOfWork } from '@zegel/protocol/crypto';

export interface PowRequest {
  challenge: string;
  difficulty: number;
}
export type PowResponse = { nonce: string } | { error: string };

/** Tens of thousands of digests: off the main thread so the form stays responsive. */
self.addEventListener('message', (event: MessageEvent<PowRequest>) => {
  const reply = (message: PowResponse) =>
    (self as unknown as { postMessage(message: PowResponse): void }).postMessage(message);
  solveProofOfWork(event.data.challenge, event.data.difficulty).then(
    (nonce) => reply({ nonce }),
    (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
  );
});
