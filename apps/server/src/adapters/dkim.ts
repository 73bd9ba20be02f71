export interface DkimKey {
  domain: string;
  selector: string;
  privateKey: string;
}

/** Prepends a DKIM signature (relaxed/relaxed) for `key.domain` to an RFC 5322 message. */
export async function signWithDkim(message: Buffer, key: DkimKey): Promise<Buffer> {
  const signature = { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKey };
  // mailauth signs only what `signatureData` lists (the top-level fields alone produce nothing).
  const { dkimSign } = await import('mailauth/lib/dkim/sign.js'); // only for direct delivery
  const result = await dkimSign(message, {
    ...signature,
    canonicalization: 'relaxed/relaxed',
    signatureData: [signature],
  });
  if (!result.signatures) throw new Error('DKIM signing failed');
  return Buffer.concat([Buffer.from(result.signatures), message]);
}
