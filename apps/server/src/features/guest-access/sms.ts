import { ErrorCode } from '@zegel/protocol/errors';
import { VerificationLimits } from '@zegel/protocol/limits';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { createSmsCode, hashSmsCode } from './codes.ts';
import { GuestLimits } from './limits.ts';
import { maskPhone } from './phone.ts';
import { selectCredentials, updateCredentials } from './store.ts';
import { throttleGuest } from './verify.ts';

/** Sends a fresh SMS code (the previous one stops working). Resending is throttled. */
export async function sendGuestSmsCode(
  deps: Deps,
  participantId: string,
  from: { organisationName: string },
  origin: RequestOrigin,
) {
  const [credentials] = await selectCredentials(deps.db, [participantId]);
  if (credentials?.method !== 'sms' || !credentials.phone)
    throw new AppError(ErrorCode.validationFailed, 'This message is not verified by SMS.');
  await throttleGuest(deps, `guest-sms-resend:${participantId}`, GuestLimits.smsResend);
  await throttleGuest(deps, `guest-sms-hour:${participantId}`, GuestLimits.smsPerHour);
  await throttleGuest(deps, `guest-verify-ip:${origin.ip}`, GuestLimits.verifyPerIp);
  const { code, expiresAt } = createSmsCode(deps.clock.now());
  await updateCredentials(deps.db, participantId, {
    sms_code_hash: hashSmsCode(deps.config.secret, participantId, code),
    sms_code_expires_at: expiresAt,
  });
  await deps.sms.send({
    to: credentials.phone,
    text: `Uw code voor het beveiligde bericht van ${from.organisationName}: ${code}. Geldig ${VerificationLimits.smsCodeLifetimeMinutes} minuten. Deel deze code met niemand.`,
  });
  return {
    phoneHint: maskPhone(credentials.phone),
    expiresAt: expiresAt.toISOString(),
    resendAfterSeconds: VerificationLimits.smsResendSeconds,
  };
}
