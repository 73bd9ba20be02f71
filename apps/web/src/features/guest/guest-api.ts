import type {
  GuestConversation,
  GuestLanding,
  GuestSmsResponse,
  GuestVerifyResponse,
} from '@zegel/protocol/api';
import { api, requestApi, sendJson } from '../../api/index.ts';

/**
 * The guest routes of docs/messages.md, under `/api/guest/:recipientId`. Requests before
 * verification carry `linkProof` (`deriveLinkProof` of the link secret, base64url) in a header,
 * so the server knows the caller has the link, not just its path; the secret itself stays here.
 */
export function guestApi(recipientId: string, linkProof?: string) {
  const base = `/api/guest/${encodeURIComponent(recipientId)}`;
  const proof: Record<string, string> = linkProof ? { 'x-zegel-link-proof': linkProof } : {};
  return {
    base,
    landing: () => requestApi<GuestLanding>('GET', base, undefined, proof),
    sendSms: () => sendJson<GuestSmsResponse>('POST', `${base}/sms`, undefined, proof),
    verify: (body: { code?: string; proof?: string; rememberBrowser?: boolean }) =>
      sendJson<GuestVerifyResponse>('POST', `${base}/verify`, body, proof),
    noCode: () => requestApi('POST', `${base}/no-code`, undefined, proof),
    conversation: () => api.get<GuestConversation>(`${base}/conversation`),
    signOut: () => api.post(`${base}/sign-out`),
    attachmentPath: (attachmentId: string) => `${base}/attachments/${attachmentId}`,
    uploadPath: (id: string) => `${base}/uploads/${id}`,
    /** A large file's ciphertext (Range supported). */
    filePath: (fileId: string) => `${base}/files/${fileId}`,
  };
}
