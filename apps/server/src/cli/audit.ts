import { verifyAuditChain } from '../platform/audit/index.ts';
import { type Command, Exit, UsageError } from './command.ts';
import { parseCommandArgs } from './main.ts';
import { withDeps } from './with-deps.ts';

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Check the audit trail (audit verify)',
  help: `Usage: zegel audit verify [--data-dir DIR]

Walks the hash chain of the audit trail from the first event and checks every link.
Exit 0 when the chain is whole; exit 1 and the first broken event when a row was
changed, removed or inserted; exit 2 on an error.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' } },
    });
    if (positionals[0] !== 'verify' || positionals.length !== 1)
      throw new UsageError('expected: zegel audit verify');
    return withDeps(io, values['data-dir'], async (deps) => {
      const result = await verifyAuditChain(deps.db);
      if (result.ok) {
        io.out.write(`The audit trail is intact: ${result.rows} events checked.\n`);
        return Exit.ok;
      }
      io.out.write(
        `The audit trail is broken at event #${result.brokenSeq} (id ${result.brokenId}): ${result.reason}.\n` +
          `${result.rows - 1} events before it are intact.\n`,
      );
      return Exit.found;
    });
  },
};
