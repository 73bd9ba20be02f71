/** Request and response schemas shared by server (validation, OpenAPI) and web app (types). */
export * from './accounts.ts';
export * from './audit.ts';
export * from './care-networks.ts';
export * from './common.ts';
export * from './contact.ts';
export * from './dlp.ts';
export * from './gateway.ts';
export * from './mail-security.ts';
export * from './messages.ts';
export * from './outbox.ts';
export * from './passkeys.ts';
export * from './reports.ts';
export * from './verification.ts';
