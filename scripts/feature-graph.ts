/**
 * The feature graph: the one place that says which parts of the server and the web app exist,
 * which others each may use, and (on the server) which tables each owns. `npm run check`
 * (scripts/check-boundaries.ts) enforces it: an import of another unit that is not declared here,
 * a cycle, an import past another unit's `index.ts`, or a query on a table another unit owns
 * fails the check. docs/architecture.md draws this graph.
 */
export interface Unit {
  /** Other units (keys of the same graph) this one may import, through their `index.ts`. */
  uses: readonly string[];
  /** Tables only this unit's code may name in a query (server only). */
  owns?: readonly string[];
}

export interface Graph {
  /** Folder the unit keys are relative to. */
  root: string;
  /** Units every other unit may use without declaring it (shared building blocks). */
  shared: readonly string[];
  /** Composition roots (boot, routing): they may import any unit's `index.ts`; no unit imports them. */
  roots: readonly string[];
  units: Readonly<Record<string, Unit>>;
}

export const serverGraph: Graph = {
  root: 'apps/server/src',
  shared: ['platform/audit', 'platform/jobs', 'platform/throttle'],
  roots: ['app.ts', 'boot.ts', 'main.ts', 'cli'],
  units: {
    'platform/audit': { uses: [], owns: ['audit_events'] },
    'platform/jobs': { uses: [], owns: ['jobs'] },
    'platform/throttle': { uses: [], owns: ['rate_limits'] },
    'features/accounts': {
      uses: [],
      owns: [
        'organisations',
        'users',
        'recovery_codes',
        'teams',
        'team_members',
        'invitations',
        'sessions',
        'trusted_devices',
        'password_resets',
        'sign_in_spent_challenges',
        'sign_in_refusals',
        'passkeys',
        'passkey_challenges',
      ],
    },
    'features/keys': { uses: ['features/accounts'], owns: ['team_keys', 'team_key_wraps'] },
    'features/guest-access': {
      uses: ['features/accounts'],
      owns: ['guest_credentials', 'guest_sessions', 'guest_devices', 'recipient_directory'],
    },
    'features/files': {
      uses: ['features/accounts'],
      owns: ['files', 'file_segments', 'file_usage', 'attachments'],
    },
    'features/conversations': {
      uses: ['features/accounts', 'features/keys', 'features/guest-access', 'features/files'],
      owns: ['conversations', 'participants', 'items', 'item_keys', 'message_events', 'conversation_reads'],
    },
    'features/messages': {
      uses: [
        'features/conversations',
        'features/accounts',
        'features/keys',
        'features/guest-access',
        'features/files',
      ],
      owns: [],
    },
    'features/contact': {
      uses: [
        'features/conversations',
        'features/accounts',
        'features/keys',
        'features/guest-access',
        'features/files',
      ],
      owns: [
        'team_contact_settings',
        'contact_challenges',
        'contact_verifications',
        'team_conversation_states',
        'team_conversation_events',
      ],
    },
    'features/care-networks': {
      uses: ['features/conversations', 'features/accounts', 'features/keys', 'features/files'],
      owns: [
        'care_network_settings',
        'care_networks',
        'care_network_members',
        'care_consent_requests',
        'care_accounts',
        'care_invitations',
        'care_sessions',
        'care_devices',
        'care_network_keys',
        'care_network_key_wraps',
        'care_folders',
        'care_folder_rights',
      ],
    },
    'features/dlp': { uses: ['features/accounts'], owns: ['dlp_policies'] },
    'features/mail-security': {
      uses: ['features/accounts'],
      owns: ['mail_security_checks', 'mail_security_bulk_runs'],
    },
    'features/outbox': { uses: [], owns: ['outbox'] },
    'features/reports': {
      uses: ['features/accounts'],
      owns: ['meldpunten', 'meldpunt_municipalities'],
    },
    'features/gateway': {
      uses: [
        'features/messages',
        'features/dlp',
        'features/mail-security',
        'features/accounts',
        'features/keys',
        'features/guest-access',
        'features/files',
      ],
      owns: ['gateway_app_passwords', 'gateway_settings', 'gateway_submissions', 'gateway_recipients'],
    },
  },
};

/**
 * The web app: the same feature names as the server where they mean the same thing. `api` (the
 * API client, binary helper, session) and `ui` (widgets, formatting, the data table) are shared;
 * `app` (routes, layout, sign-out wiring) and `main.tsx` compose the features. `messages` is the
 * staff mailbox, so it shows contact's team panels; `conversations` holds what staff and guests
 * share to read and reply.
 */
export const webGraph: Graph = {
  root: 'apps/web/src',
  shared: ['ui', 'api'],
  roots: ['app', 'main.tsx'],
  units: {
    api: { uses: [] },
    ui: { uses: ['api'] },
    'features/keys': { uses: [] },
    'features/auth': { uses: ['features/keys'] },
    'features/account': { uses: ['features/auth'] },
    'features/dlp': { uses: [] },
    'features/files': { uses: [] },
    'features/conversations': { uses: ['features/files'] },
    'features/guest': { uses: ['features/conversations', 'features/files'] },
    'features/contact': { uses: ['features/conversations', 'features/guest', 'features/files'] },
    'features/messages': {
      uses: ['features/conversations', 'features/contact', 'features/keys', 'features/files', 'features/dlp'],
    },
    'features/mail-security': { uses: [] },
    'features/admin': {
      uses: [
        'features/contact',
        'features/dlp',
        'features/mail-security',
        'features/reports',
        'features/keys',
      ],
    },
    'features/reports': { uses: [] },
    'features/outbox': { uses: [] },
  },
};
