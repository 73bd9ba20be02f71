import { findPeopleByEmail } from '../features/accounts/index.ts';
import { createAppPassword } from '../features/gateway/index.ts';
import { type Command, Exit, UsageError } from './command.ts';
import { parseCommandArgs } from './main.ts';
import { withDeps } from './with-deps.ts';

export const gatewayCommand: Command = {
  name: 'gateway',
  summary: 'Mail gateway: make an app password for a mail client or application',
  help: `Usage:
  zegel gateway app-password EMAIL [--label NAME]

app-password   Prints a new app password for the user with this e-mail address, for SMTP
               AUTH (user name: the e-mail address) on the gateway's submission port. It is
               shown once; Zegel keeps only its hash. Users revoke it on their account page.

  --label NAME     What the password is for (default "command line").
  --data-dir DIR   Data directory (PGlite), when DATABASE_URL is not set.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: { label: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    const [action, email, ...extra] = positionals;
    if (action !== 'app-password') throw new UsageError('say what to do: app-password EMAIL');
    if (!email) throw new UsageError('app-password needs the e-mail address of a user');
    if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
    return withDeps(io, values['data-dir'], async (deps) => {
      const [user] = await findPeopleByEmail(deps, [email]);
      if (user?.status !== 'active') {
        io.err.write(`No active user with the address ${email}.\n`);
        return Exit.error;
      }
      const actor = {
        userId: user.id,
        organisationId: user.organisation_id,
        name: user.name,
        role: user.role,
      };
      const created = await createAppPassword(deps, actor, values.label ?? 'command line', null);
      io.out.write(
        `App password for ${user.email} ("${created.appPassword.label}"):\n  ${created.password}\n`,
      );
      return Exit.ok;
    });
  },
};
