/** Talking to the Zegel API: JSON calls, ciphertext up and down, and who is signed in. */
export { ApiError, api, ClientErrorCode, requestApi, toApiError } from './api-client.ts';
export { DetailedApiError, getCiphertext, putCiphertext, sendJson } from './binary-api.ts';
export { SessionProvider, useSession } from './session.tsx';
export { solveInWorker } from './solve-in-worker.ts';
export { stageHome } from './stage-home.ts';
