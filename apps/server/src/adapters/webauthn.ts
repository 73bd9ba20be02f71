import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/** Loaded at the first ceremony: a process that never sees a passkey keeps its memory. */
const library = () => import('@simplewebauthn/server');

/**
 * WebAuthn ceremonies through @simplewebauthn/server (a maintained library, so no signature or
 * CBOR code of our own). The relying party is the deployment's public URL: its host is the RP ID
 * and its origin the only origin accepted. User verification is required (PIN or biometrics).
 */
export interface RelyingParty {
  name: string;
  publicUrl: string;
}

export interface StoredPasskey {
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
}

const rpOf = (rp: RelyingParty) => ({
  rpID: new URL(rp.publicUrl).hostname,
  origin: new URL(rp.publicUrl).origin,
});

export async function createRegistrationOptions(
  rp: RelyingParty,
  user: { id: string; email: string; name: string },
  existing: StoredPasskey[],
) {
  const { generateRegistrationOptions } = await library();
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rpOf(rp).rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
}

/** The new credential when the response answers the challenge for this RP; undefined otherwise. */
export async function checkRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  challenge: string,
): Promise<StoredPasskey | undefined> {
  const { rpID, origin } = rpOf(rp);
  try {
    const { verifyRegistrationResponse } = await library();
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
    if (!result.verified) return undefined;
    const { credential } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? [],
    };
  } catch {
    return undefined;
  }
}

export async function createAuthenticationOptions(rp: RelyingParty, allowed: StoredPasskey[]) {
  const { generateAuthenticationOptions } = await library();
  return generateAuthenticationOptions({
    rpID: rpOf(rp).rpID,
    allowCredentials: allowed.map((p) => ({ id: p.credentialId, transports: p.transports })),
    userVerification: 'required',
  });
}

/** The credential's new signature counter when the assertion is genuine; undefined otherwise. */
export async function checkAuthentication(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  challenge: string,
  passkey: StoredPasskey,
): Promise<number | undefined> {
  const { rpID, origin } = rpOf(rp);
  try {
    const { verifyAuthenticationResponse } = await library();
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports as never,
      },
    });
    return result.verified ? result.authenticationInfo.newCounter : undefined;
  } catch {
    return undefined;
  }
}
