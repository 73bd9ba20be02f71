import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { loadConfig } from '../config.ts';
import { type Command, Exit } from './command.ts';
import { parseCommandArgs } from './main.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Print how to sign in to the embedded demo, with the current code',
  help: `Usage: zegel demo [--data-dir DIR]

Prints the demo account's e-mail address, password and current authenticator code.
Works only after \`npm start\` has created the demo organisation (embedded mode).`,
  async run(args, io) {
    const { values } = parseCommandArgs({
      args,
      allowPositionals: false,
      options: { 'data-dir': { type: 'string' } },
    });
    const config = loadConfig(values['data-dir'] ? { dataDir: values['data-dir'] } : {}, undefined, {
      forServing: false,
    });
    const file = join(resolve(config.dataDir), 'demo-credentials.json');
    if (!existsSync(file)) {
      io.err.write(`No demo account in ${resolve(config.dataDir)}. Start Zegel with \`npm start\` first.\n`);
      return Exit.error;
    }
    const demo = JSON.parse(readFileSync(file, 'utf8')) as {
      email: string;
      password: string;
      totpSecret: string;
    };
    const code = new TOTP({
      issuer: 'Zegel',
      label: demo.email,
      secret: Secret.fromBase32(demo.totpSecret),
    }).generate();
    io.out.write(
      `e-mail:   ${demo.email}\npassword: ${demo.password}\ncode:     ${code} (valid for up to 30 seconds)\n`,
    );
    return Exit.ok;
  },
};
