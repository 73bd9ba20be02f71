import { jobType, optionalStringField, stringField } from '../../platform/jobs/index.ts';

/** Mail one recipient that a conversation has something for them (no content). */
export const notifyRecipientJob = jobType('message.notify', (p) => ({
  participantId: stringField(p, 'participantId'),
  ...optionalField('itemId', optionalStringField(p, 'itemId')),
  ...optionalField('sealedLinkSecret', optionalStringField(p, 'sealedLinkSecret')),
  // A team member who wrote the item is not told about their own item.
  ...optionalField('exceptUserId', optionalStringField(p, 'exceptUserId')),
}));

export type SenderNotice = 'bounced' | 'locked' | 'no_code' | 'replied';
const NOTICES: readonly SenderNotice[] = ['bounced', 'locked', 'no_code', 'replied'];

/** Tell the starter of a conversation about one of its recipients. */
export const notifySenderJob = jobType('message.notify-sender', (p) => {
  const notice = optionalStringField(p, 'notice') as SenderNotice | undefined;
  return {
    participantId: stringField(p, 'participantId'),
    notice: notice && NOTICES.includes(notice) ? notice : ('replied' as const),
  };
});

/** The recurring expiry sweep. */
export const maintenanceJob = jobType('message.maintenance', () => ({}));

function optionalField<K extends string>(name: K, value: string | undefined): { [k in K]?: string } {
  return value === undefined ? {} : ({ [name]: value } as { [k in K]: string });
}
