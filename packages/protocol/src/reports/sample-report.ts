import type { CareReport } from '../api/reports.ts';

/**
 * A complete, valid niet-acute zorgmelding about a made-up person (the BSN is the elfproef test
 * number 111222333), for tests and the embedded demo.
 */
export const sampleCareReport: CareReport = {
  kind: 'NAZ',
  person: {
    bsn: '111222333',
    name: { surname: 'Jansen', prefix: 'de', initials: 'P.', givenNames: 'Pieter' },
    dateOfBirth: '1951-04-12',
    gender: 'man',
    address: {
      postcode: '3511 AB',
      houseNumber: 12,
      addition: 'bis',
      street: 'Voorbeeldstraat',
      city: 'Utrecht',
    },
    contact: [{ type: 'mobile', value: '06 12345678' }],
    othersInvolved: [],
  },
  incident: {
    occurredAt: '2026-11-30T21:15:00.000Z',
    location: 'Voorbeeldstraat 12bis, Utrecht',
    description: 'Meneer liep verward op straat en kon niet zeggen waar hij woonde.',
  },
  situation: {
    sketch: 'Woont alleen, woning vervuild, weinig contact met familie.',
    signals: ['confused_behaviour', 'polluted_home', 'loneliness'],
    safetyRisk: false,
    minorsInHousehold: false,
    domesticViolence: false,
  },
  informing: {
    informed: true,
    how: 'Mondeling ter plaatse',
    reaction: 'Stemt in met contact van het meldpunt.',
  },
  request: { text: 'Graag contact opnemen en kijken welke ondersteuning nodig is.', feedbackWanted: true },
  reporter: { name: 'Agent A. de Vries', unit: 'Basisteam Utrecht-Centrum', phone: '0900 8844' },
  attachments: [],
};
