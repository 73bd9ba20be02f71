import type {
  GuestConversation,
  GuestLanding,
  GuestSmsResponse,
  GuestVerifyResponse,
} from '@zegel/protocol/api';
import { api, sendJson } from '../../api/index.ts';

/** The guest routes of docs/messages.md, under `/api/guest/:recipientId`. */
export function guestApi(recipientId: string) {
  const base = `/api/guest/${encodeURIComponent(recipientId)}`;
  return {
    base,
    landing: () => api.get<GuestLanding>(base),
    sendSms: () => sendJson<GuestSmsResponse>('POST', `${base}/sms`),
    verify: (body: { code?: string; proof?: string; rememberBrowser?: boolean }) =>
      sendJson<GuestVerifyResponse>('POST', `${base}/verify`, body),
    noCode: () => api.post(`${base}/no-code`),
    conversation: () => api.get<GuestConversation>(`${base}/conversation`),
    signOut: () => api.post(`${base}/sign-out`),
    attachmentPath: (attachmentId: string) => `${base}/attachments/${attachmentId}`,
    uploadPath: (id: string) => `${base}/uploads/${id}`,
    /** A large file's ciphertext (Range supported). */
    filePath: (fileId: string) => `${base}/files/${fileId}`,
  };
}
