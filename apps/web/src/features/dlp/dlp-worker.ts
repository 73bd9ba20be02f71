import { extractAttachmentText, type Finding, scanText } from '@zegel/protocol/dlp';
import { maskFinding } from './mask.ts';

/** A finding with what the composer may show of it: a masked form, never the whole value. */
export interface ShownFinding extends Finding {
  masked: string;
}

export type ScanRequestBody =
  | { kind: 'text'; parts: { part: string; text: string }[] }
  | { kind: 'file'; name: string; bytes: ArrayBuffer };
export type ScanRequest = ScanRequestBody & { id: number };

export type ScanResponse =
  | { id: number; kind: 'text'; parts: { part: string; findings: ShownFinding[] }[] }
  | { id: number; kind: 'file'; status: 'ok'; findings: ShownFinding[] }
  | { id: number; kind: 'file'; status: 'unreadable'; reason: string }
  | { id: number; kind: 'error' };

const show = (text: string) => (finding: Finding) => ({ ...finding, masked: maskFinding(text, finding) });

/**
 * Scans the draft off the main thread, so typing stays smooth and a large PDF does not freeze
 * the page. The draft never leaves the browser: this worker has no network access of its own.
 */
self.addEventListener('message', (event: MessageEvent<ScanRequest>) => {
  const request = event.data;
  const reply = (message: ScanResponse) =>
    (self as unknown as { postMessage(message: ScanResponse): void }).postMessage(message);
  if (request.kind === 'text') {
    reply({
      id: request.id,
      kind: 'text',
      parts: request.parts.map(({ part, text }) => ({ part, findings: scanText(text).map(show(text)) })),
    });
    return;
  }
  extractAttachmentText(new Uint8Array(request.bytes), request.name).then(
    (result) =>
      reply(
        result.status === 'ok'
          ? {
              id: request.id,
              kind: 'file',
              status: 'ok',
              findings: scanText(result.text).map(show(result.text)),
            }
          : { id: request.id, kind: 'file', status: 'unreadable', reason: result.reason },
      ),
    () => reply({ id: request.id, kind: 'file', status: 'unreadable', reason: 'corrupt' }),
  );
});
