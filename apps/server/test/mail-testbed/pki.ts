import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from './tools.ts';

export interface KeyPair {
  key: string;
  cert: string;
  /** Leaf then CA, as a server presents it. */
  chain: string;
  certPath: string;
}

/** A throw-away PKI made with openssl, so the TLSA digests come from a tool other than Zegel. */
export interface TestPki {
  caPem: string;
  caPath: string;
  issue(name: string, dnsNames: string[], keySpec: 'ec' | 'rsa2048' | 'rsa3072'): KeyPair;
  selfSigned(name: string, dnsNames: string[]): KeyPair;
  /** `openssl x509 -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256`: the `x 1 1` data. */
  spkiSha256(certPath: string): string;
}

const keyArgs = {
  ec: '-newkey ec -pkeyopt ec_paramgen_curve:P-256',
  rsa2048: '-newkey rsa:2048',
  rsa3072: '-newkey rsa:3072',
};

export function createTestPki(dir: string): TestPki {
  const caPath = join(dir, 'ca.pem');
  sh(
    `openssl req -x509 ${keyArgs.ec} -nodes -keyout ca.key -out ca.pem -subj "/CN=Zegel Test CA" -days 30 ` +
      `-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign`,
    dir,
  );
  const caPem = readFileSync(caPath, 'utf8');
  const read = (name: string, withCa: boolean): KeyPair => {
    const cert = readFileSync(join(dir, `${name}.pem`), 'utf8');
    return {
      key: readFileSync(join(dir, `${name}.key`), 'utf8'),
      cert,
      chain: withCa ? cert + caPem : cert,
      certPath: join(dir, `${name}.pem`),
    };
  };
  return {
    caPem,
    caPath,
    issue(name, dnsNames, keySpec) {
      writeFileSync(
        join(dir, `${name}.ext`),
        `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
      );
      sh(
        `openssl req -new ${keyArgs[keySpec]} -nodes -keyout ${name}.key -subj "/CN=${dnsNames[0]}" -out ${name}.csr`,
        dir,
      );
      sh(
        `openssl x509 -req -in ${name}.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -sha256 -out ${name}.pem -extfile ${name}.ext`,
        dir,
      );
      return read(name, true);
    },
    selfSigned(name, dnsNames) {
      sh(
        `openssl req -x509 ${keyArgs.ec} -nodes -keyout ${name}.key -out ${name}.pem -subj "/CN=${dnsNames[0]}" -days 30 ` +
          `-addext subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}`,
        dir,
      );
      return read(name, false);
    },
    spkiSha256(certPath) {
      return (
        sh(
          `openssl x509 -in ${certPath} -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`,
        )
          .split(' ')[0]
          ?.trim() ?? ''
      );
    },
  };
}
