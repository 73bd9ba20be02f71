import type { SessionStage } from '@zegel/protocol/api';

/** Where a session of each stage belongs; a half-finished sign-in cannot reach other screens. */
export const stageHome: Record<SessionStage, string> = {
  second_factor: '/sign-in/code',
  enrolment: '/enrol',
  full: '/account',
};
