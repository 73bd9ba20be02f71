import { AppError } from '../errors.ts';
import {
  createOrganisation,
  findOrganisationBySlug,
  inviteUser,
  listOrganisations,
  listUsers,
} from '../features/accounts/index.ts';
import { type Command, Exit, UsageError } from './command.ts';
import { parseCommandArgs } from './main.ts';
import { withDeps } from './with-deps.ts';

export const adminCommand: Command = {
  name: 'admin',
  summary: 'Create organisations, invite their first admin, list users',
  help: `Usage:
  zegel admin create-org --name NAME --admin-email EMAIL [--admin-name NAME] [--domain D]…
  zegel admin list-orgs
  zegel admin list-users --org SLUG

create-org   Creates an organisation and mails an invitation to its first administrator;
             the invitation link is printed too, for when mail is not set up yet.
list-orgs    Lists organisations.
list-users   Lists the users of one organisation.

  --data-dir DIR   Data directory (PGlite), when DATABASE_URL is not set.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-name': { type: 'string' },
        domain: { type: 'string', multiple: true },
        org: { type: 'string' },
        'data-dir': { type: 'string' },
      },
    });
    const [action, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
    if (action === 'create-org') {
      if (!values.name) throw new UsageError('--name is required');
      if (!values['admin-email'] || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values['admin-email'])) {
        throw new UsageError('--admin-email needs a valid e-mail address');
      }
    } else if (action === 'list-users') {
      if (!values.org) throw new UsageError('--org is required');
    } else if (action !== 'list-orgs') {
      throw new UsageError(
        action ? `unknown action "${action}"` : 'say what to do: create-org, list-orgs or list-users',
      );
    }
    return withDeps(io, values['data-dir'], async (deps) => {
      try {
        if (action === 'create-org') {
          const org = await createOrganisation(deps, {
            name: values.name!,
            mailDomains: values.domain ?? [],
          });
          const invitation = await inviteUser(
            deps,
            null,
            org.id,
            { email: values['admin-email']!, name: values['admin-name'] ?? '', role: 'admin' },
            null,
          );
          io.out.write(
            `Created organisation "${values.name}" (${org.slug}).\n` +
              `Invitation for ${values['admin-email']} (valid until ${invitation.expiresAt.toISOString()}):\n  ${invitation.link}\n`,
          );
          return Exit.ok;
        }
        if (action === 'list-orgs') {
          const orgs = await listOrganisations(deps);
          if (orgs.length === 0)
            io.out.write('No organisations yet. Create one with `zegel admin create-org`.\n');
          for (const org of orgs) io.out.write(`${org.slug}\t${org.name}\n`);
          return Exit.ok;
        }
        const org = await findOrganisationBySlug(deps, values.org!);
        if (!org) {
          io.err.write(`No organisation with slug "${values.org}". See \`zegel admin list-orgs\`.\n`);
          return Exit.error;
        }
        const users = await listUsers(deps, org.id);
        if (users.length === 0) io.out.write('No users yet.\n');
        for (const u of users) io.out.write(`${u.email}\t${u.name}\t${u.role}\t${u.status}\n`);
        return Exit.ok;
      } catch (error) {
        if (error instanceof AppError) {
          io.err.write(`${error.message}\n`);
          return Exit.error;
        }
        throw error;
      }
    });
  },
};
