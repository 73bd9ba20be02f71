import { type Static, Type } from 'typebox';
import { Email, MultilineText, strict, Text, Timestamp, Uuid } from './common.ts';

/**
 * Police care reports (niet-acute zorgmelding, issue 16). The form's schema maps field by field
 * onto VNG Realisatie's JZV Meldingen `Melding` (docs/reports.md). The schema checks shape and
 * bounds; `checkCareReport` (`@zegel/protocol/reports`) adds the rules a schema cannot say (BSN
 * elfproef, dates not in the future, fields required by another field's answer).
 */

/** JZV `soort`: niet-acute zorg, Veilig Thuis, Zorg- en Veiligheidshuis. */
export const ReportKind = Type.Union([Type.Literal('NAZ'), Type.Literal('VT'), Type.Literal('ZVH')]);
export type ReportKind = Static<typeof ReportKind>;

export const reportSignals = [
  'confused_behaviour',
  'neglect',
  'polluted_home',
  'loneliness',
  'addiction',
  'debts',
  'other',
] as const;
export type ReportSignal = (typeof reportSignals)[number];
const Signal = Type.Unsafe<ReportSignal>(Type.Union(reportSignals.map((s) => Type.Literal(s))));

/** A calendar date `YYYY-MM-DD` (date of birth). */
export const CalendarDate = Type.String({ format: 'date' });
/** A Dutch postcode, `1234 AB` or `1234AB` (letters upper or lower case). */
export const Postcode = Type.String({ pattern: '^[1-9][0-9]{3} ?[A-Za-z]{2}$', maxLength: 7 });
export const HouseNumber = Type.Integer({ minimum: 1, maximum: 99999 });
/** A CBS gemeentecode: four digits (`0344` Utrecht). */
export const Gemeentecode = Type.String({ pattern: '^[0-9]{4}$' });

const Name = Type.Object(
  {
    surname: Text({ minLength: 1, maxLength: 200 }),
    prefix: Type.Optional(Text({ maxLength: 10 })),
    initials: Type.Optional(Text({ maxLength: 20 })),
    givenNames: Type.Optional(Text({ maxLength: 200 })),
  },
  strict,
);

export const ReportAddress = Type.Object(
  {
    postcode: Postcode,
    houseNumber: HouseNumber,
    houseLetter: Type.Optional(Type.String({ pattern: '^[A-Za-z]$' })),
    addition: Type.Optional(Text({ maxLength: 4 })),
    street: Type.Optional(Text({ maxLength: 200 })),
    city: Type.Optional(Text({ maxLength: 200 })),
    /** The municipality the officer confirmed (from the Locatieserver lookup). */
    gemeentecode: Type.Optional(Gemeentecode),
  },
  strict,
);
export type ReportAddress = Static<typeof ReportAddress>;

const ContactDetail = Type.Object(
  {
    type: Type.Union([Type.Literal('landline'), Type.Literal('mobile'), Type.Literal('email')]),
    value: Text({ minLength: 1, maxLength: 254 }),
  },
  strict,
);

const OtherPerson = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: 200 }),
    relation: Text({ minLength: 1, maxLength: 100 }),
    dateOfBirth: Type.Optional(CalendarDate),
    isMinor: Type.Boolean(),
  },
  strict,
);

export const CareReport = Type.Object(
  {
    kind: ReportKind,
    person: Type.Object(
      {
        /** Optional (police do not always know it); when given, it must pass the elfproef. */
        bsn: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
        name: Name,
        dateOfBirth: Type.Optional(CalendarDate),
        gender: Type.Optional(
          Type.Union([
            Type.Literal('man'),
            Type.Literal('vrouw'),
            Type.Literal('anders'),
            Type.Literal('onbekend'),
          ]),
        ),
        address: ReportAddress,
        contact: Type.Array(ContactDetail, { maxItems: 5 }),
        othersInvolved: Type.Array(OtherPerson, { maxItems: 20 }),
      },
      strict,
    ),
    incident: Type.Object(
      {
        occurredAt: Timestamp,
        location: Text({ minLength: 1, maxLength: 300 }),
        description: MultilineText({ minLength: 1, maxLength: 10_000 }),
      },
      strict,
    ),
    situation: Type.Object(
      {
        sketch: MultilineText({ minLength: 1, maxLength: 10_000 }),
        details: Type.Optional(MultilineText({ maxLength: 10_000 })),
        signals: Type.Array(Signal, { minItems: 1, uniqueItems: true, maxItems: reportSignals.length }),
        safetyRisk: Type.Boolean(),
        safetyRiskNote: Type.Optional(MultilineText({ maxLength: 2_000 })),
        minorsInHousehold: Type.Boolean(),
        domesticViolence: Type.Boolean(),
      },
      strict,
    ),
    informing: Type.Object(
      {
        informed: Type.Boolean(),
        how: Type.Optional(Text({ maxLength: 300 })),
        reasonNotInformed: Type.Optional(MultilineText({ maxLength: 2_000 })),
        reaction: Type.Optional(MultilineText({ maxLength: 2_000 })),
      },
      strict,
    ),
    request: Type.Object(
      {
        text: MultilineText({ minLength: 1, maxLength: 5_000 }),
        feedbackWanted: Type.Boolean(),
      },
      strict,
    ),
    reporter: Type.Object(
      {
        name: Text({ minLength: 1, maxLength: 200 }),
        unit: Text({ minLength: 1, maxLength: 200 }),
        phone: Type.Optional(Text({ maxLength: 30 })),
        email: Type.Optional(Email),
        reachableUntil: Type.Optional(Timestamp),
      },
      strict,
    ),
    /** Attachments travel as encrypted files of the conversation; the form lists them. */
    attachments: Type.Array(
      Type.Object(
        { name: Text({ minLength: 1, maxLength: 255 }), bytes: Type.Integer({ minimum: 0 }) },
        strict,
      ),
      { maxItems: 10 },
    ),
  },
  strict,
);
export type CareReport = Static<typeof CareReport>;

/** A channel of a meldpunt, in the directory's order of preference. */
export const MeldpuntChannel = Type.Union([
  Type.Object({ kind: Type.Literal('team'), teamId: Uuid }, strict),
  Type.Object({ kind: Type.Literal('email'), address: Email }, strict),
]);
export type MeldpuntChannel = Static<typeof MeldpuntChannel>;

export const Meldpunt = Type.Object({
  id: Uuid,
  name: Text({ minLength: 1, maxLength: 200 }),
  organisation: Text({ minLength: 1, maxLength: 200 }),
  gemeentecodes: Type.Array(Gemeentecode, { minItems: 1, maxItems: 400 }),
  openingHours: Text({ maxLength: 300 }),
  separatePoliceRoute: Type.Boolean(),
  channels: Type.Array(MeldpuntChannel, { minItems: 1, maxItems: 5 }),
});
export type Meldpunt = Static<typeof Meldpunt>;

export const MeldpuntList = Type.Object({ meldpunten: Type.Array(Meldpunt) });
export type MeldpuntList = Static<typeof MeldpuntList>;

/** The directory as CSV (docs/reports.md names the columns); importing replaces it whole. */
export const MeldpuntImportRequest = Type.Object(
  { csv: MultilineText({ minLength: 1, maxLength: 1_000_000 }) },
  strict,
);
export type MeldpuntImportRequest = Static<typeof MeldpuntImportRequest>;

export const RouteReportRequest = Type.Object(
  { postcode: Postcode, houseNumber: HouseNumber, addition: Type.Optional(Text({ maxLength: 5 })) },
  strict,
);
export type RouteReportRequest = Static<typeof RouteReportRequest>;

/** Where a report for this address goes: the municipality to confirm, and its meldpunt. */
export const RouteReportResponse = Type.Object({
  municipality: Type.Object({ code: Gemeentecode, name: Type.String() }),
  address: Type.String(),
  meldpunt: Meldpunt,
});
export type RouteReportResponse = Static<typeof RouteReportResponse>;
