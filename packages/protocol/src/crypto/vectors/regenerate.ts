/**
 * Prints freshly generated vectors as JSON. Only on demand, after a deliberate format change:
 *   npx node packages/protocol/src/crypto/vectors/regenerate.ts > packages/protocol/src/crypto/vectors/known-answer-v1.json
 * Printing (rather than writing the file) keeps this package free of Node APIs.
 */
import { generateKnownAnswerVectors } from './generate.ts';

// biome-ignore lint/suspicious/noConsole: a developer command whose output is the JSON itself
console.log(JSON.stringify(await generateKnownAnswerVectors(), null, 2));
