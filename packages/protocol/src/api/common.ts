import { type Static, Type } from 'typebox';

/** Every object schema rejects unknown fields: a typo in a field name is an error, not a silent no-op. */
export const strict = { additionalProperties: false } as const;

/**
 * The one rule for request text: no C0 control characters and no DEL. NUL cannot be stored by
 * PostgreSQL (it would be a 500), and the others have no place in names, filters or addresses.
 */
export const SINGLE_LINE_PATTERN = '^[^\\u0000-\\u001f\\u007f]*$';
/** The same for text that may span lines: tab, line feed and carriage return are allowed. */
export const MULTI_LINE_PATTERN = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$';

interface TextBounds {
  minLength?: number;
  maxLength: number;
  description?: string;
}
/** A single-line text field (names, filters, phone numbers, codes). */
export const Text = (bounds: TextBounds) => Type.String({ ...bounds, pattern: SINGLE_LINE_PATTERN });
/** A text field that may hold several lines (descriptions, office hours, CSV). */
export const MultilineText = (bounds: TextBounds) => Type.String({ ...bounds, pattern: MULTI_LINE_PATTERN });
/** A whole number in a range; every request number has one, so none overflows a bigint column. */
export const BoundedInteger = (minimum: number, maximum: number) => Type.Integer({ minimum, maximum });
/** A paging cursor over a bigint sequence, safe in JSON and in PostgreSQL. */
export const Cursor = BoundedInteger(1, Number.MAX_SAFE_INTEGER);

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
export const Uuid = Type.String({ format: 'uuid' });
/** A base64url value (tokens, salts, login secrets). */
export const Base64Url = (maxLength: number) =>
  Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 16, maxLength });
export const Timestamp = Type.String({ format: 'date-time' });

export const IdParams = Type.Object({ id: Uuid }, strict);

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

export const Ok = Type.Object({ ok: Type.Literal(true) });

export const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  version: Type.String(),
  /** The web app this process serves (null: none): compare `sha256` with a build from source. */
  webBuild: Type.Union([Type.Object({ sha256: Type.String(), files: Type.Integer() }), Type.Null()]),
});
export type Health = Static<typeof Health>;

/** Liveness: the process runs and its event loop answers; says nothing of what it depends on. */
export const HealthLive = Type.Object({ status: Type.Literal('ok') });
export type HealthLive = Static<typeof HealthLive>;

const CheckOutcome = Type.Union([Type.Literal('ok'), Type.Literal('failing')]);

/**
 * Readiness: whether this process should get traffic (200) or not (503: the database fails, or
 * the process is stopping). A failing blob store or a lagging job queue is reported (`degraded`)
 * but keeps the process ready: every process shares them, so taking all processes out of the
 * balancer would turn a partial outage into a full one.
 */
export const HealthReady = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('degraded'), Type.Literal('not_ready')]),
  stopping: Type.Boolean(),
  checks: Type.Object({
    database: CheckOutcome,
    blobStore: CheckOutcome,
    jobQueue: Type.Union([Type.Literal('ok'), Type.Literal('lagging'), Type.Literal('failing')]),
  }),
  /** Jobs due and not yet picked up, and how long the oldest of them has waited (null: none). */
  jobQueue: Type.Object({
    due: Type.Integer(),
    oldestDueSeconds: Type.Union([Type.Number(), Type.Null()]),
  }),
});
export type HealthReady = Static<typeof HealthReady>;
