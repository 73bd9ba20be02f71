/**
 * Content encryption throughput in Node: Zegel's content format (1 MiB AES-256-GCM records,
 * whole-buffer helpers and the streams) against raw AES-256-GCM, one WebCrypto call over the same
 * buffer, measured in the same run. The ratio is what the record framing costs (or gains, since
 * records are sealed a few at a time in parallel).
 */
import {
  createContentDecryptionStream,
  createContentEncryptionStream,
  decryptContent,
  encryptContent,
  generateContentKey,
} from '@zegel/protocol/crypto';

const SIZE_MIB = Number(process.argv[2] ?? 64);
const ROUNDS = 5;
const size = SIZE_MIB * 1024 * 1024;

const plaintext = new Uint8Array(size);
for (let offset = 0; offset < size; offset += 65536)
  crypto.getRandomValues(plaintext.subarray(offset, offset + 65536));

async function median(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up: JIT, key import paths, thread pool
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function chunked(bytes: Uint8Array, chunkSize = 256 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let total = 0;
  for await (const chunk of stream) total += chunk.length;
  return total;
}

const rawKey = await crypto.subtle.importKey('raw', generateContentKey(), 'AES-GCM', false, [
  'encrypt',
  'decrypt',
]);
const iv = new Uint8Array(12);
const rawCiphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, rawKey, plaintext));
const contentKey = generateContentKey();
const ciphertext = await encryptContent(contentKey, plaintext);
const check = await decryptContent(contentKey, ciphertext);
if (check.length !== plaintext.length || check.some((byte, i) => byte !== plaintext[i])) {
  throw new Error('round trip failed; figures would be meaningless');
}

const rawEncrypt = await median(() => crypto.subtle.encrypt({ name: 'AES-GCM', iv }, rawKey, plaintext));
const rawDecrypt = await median(() => crypto.subtle.decrypt({ name: 'AES-GCM', iv }, rawKey, rawCiphertext));
const bufferEncrypt = await median(() => encryptContent(contentKey, plaintext));
const bufferDecrypt = await median(() => decryptContent(contentKey, ciphertext));
const streamEncrypt = await median(() =>
  drain(chunked(plaintext).pipeThrough(createContentEncryptionStream(contentKey))),
);
const streamDecrypt = await median(() =>
  drain(chunked(ciphertext).pipeThrough(createContentDecryptionStream(contentKey))),
);

const mbPerSecond = (ms: number) => size / 1e6 / (ms / 1000);
const rows: [string, number, number][] = [
  ['encrypt, whole buffer', bufferEncrypt, rawEncrypt],
  ['decrypt, whole buffer', bufferDecrypt, rawDecrypt],
  ['encrypt, stream (256 KiB chunks)', streamEncrypt, rawEncrypt],
  ['decrypt, stream (256 KiB chunks)', streamDecrypt, rawDecrypt],
];
console.log(`content format v1, ${SIZE_MIB} MiB, median of ${ROUNDS} rounds, Node ${process.versions.node}`);
console.log(
  `raw AES-256-GCM (one WebCrypto call): encrypt ${mbPerSecond(rawEncrypt).toFixed(0)} MB/s, decrypt ${mbPerSecond(rawDecrypt).toFixed(0)} MB/s`,
);
for (const [label, ms, baseline] of rows) {
  console.log(
    `${label.padEnd(34)} ${mbPerSecond(ms).toFixed(0).padStart(6)} MB/s   ratio to raw ${(baseline / ms).toFixed(2)}`,
  );
}
