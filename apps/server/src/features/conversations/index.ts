/**
 * The conversation core every sending feature stands on: conversations (a kind and an owner
 * record of the feature they belong to), participants, items (one `appendItem`), receipts,
 * revoke, expiry with crypto-shredding, notification jobs and the proof of delivery, with the
 * guest page's API. Features on top — messages, contact, and later care networks, reports and
 * the gateway — open conversations and append items through these functions only.
 */
export {
  appendItem,
  checkItemCiphertext,
  checkWrappedKeys,
  type ItemAuthor,
  itemTime,
  type NewItem,
  type WrappedKeyCheck,
} from './append-item.ts';
export { processDeliveryReport } from './bounces.ts';
export { purgeExpiredConversations } from './expiry.ts';
export { addGuestReply, type GuestReplyInput } from './guest-read.ts';
export { registerGuestRoutes } from './guest-routes.ts';
export { findGuestStarter, isTeamInConversation } from './guest-started.ts';
export { loadItems } from './items.ts';
export { defineConversationJobs, scheduleConversationMaintenance } from './jobs.ts';
export { guestLink, openLinkSecret, RECIPIENT_HEADER, sealLinkSecret } from './link-secret.ts';
export type { ConversationHooks } from './notify.ts';
export { type NewConversation, type NewParticipant, openConversation } from './open-conversation.ts';
export { takenParticipantIds } from './participant-ids.ts';
export { registerConversationRoutes } from './staff-routes.ts';
