import { readFileSync, writeFileSync } from 'node:fs';
import {
  AuditAnchorError,
  type AuditCheckpoint,
  parseCheckpoint,
  type VerifyResult,
} from '../platform/audit/index.ts';
import { type CliIo, type Command, Exit, UsageError } from './command.ts';
import { parseCommandArgs } from './main.ts';
import { withDeps } from './with-deps.ts';

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Check the audit trail and export signed checkpoints (audit verify, audit checkpoint)',
  help: `Usage: zegel audit verify [--checkpoint FILE]... [--data-dir DIR]
       zegel audit checkpoint [--out FILE] [--data-dir DIR]

verify      Walks the keyed hash chain of the audit trail from the first event, and checks it
            against every signed checkpoint in the blob store and in the given files. Exit 0
            when the chain is whole; exit 1 naming the first broken event or the checkpoint
            it contradicts (a row changed and rehashed, a deleted tail); exit 2 on an error.
checkpoint  Signs the head of the chain now, stores it in the blob store and prints it (or
            writes it to FILE). Keep the file somewhere the database administrator cannot
            write; \`verify --checkpoint FILE\` then proves the trail up to that point.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        checkpoint: { type: 'string', multiple: true },
        out: { type: 'string' },
      },
    });
    const sub = positionals[0];
    if (positionals.length !== 1 || (sub !== 'verify' && sub !== 'checkpoint'))
      throw new UsageError('expected: zegel audit verify, or zegel audit checkpoint');
    if (sub === 'checkpoint') {
      if (values.checkpoint) throw new UsageError('--checkpoint belongs to zegel audit verify');
      return exportCheckpoint(io, values['data-dir'], values.out);
    }
    if (values.out) throw new UsageError('--out belongs to zegel audit checkpoint');
    const extra = (values.checkpoint ?? []).map(readCheckpointFile);
    return withDeps(io, values['data-dir'], async (deps) => {
      const result = await deps.audit.verify(extra);
      io.out.write(describeResult(result));
      return result.ok ? Exit.ok : Exit.found;
    });
  },
};

function readCheckpointFile(path: string): AuditCheckpoint {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the checkpoint file ${path}`);
  }
  const checkpoint = parseCheckpoint(text);
  if (!checkpoint) throw new UsageError(`${path} is not a Zegel audit checkpoint`);
  return checkpoint;
}

async function exportCheckpoint(io: CliIo, dataDir: string | undefined, out: string | undefined) {
  return withDeps(io, dataDir, async (deps) => {
    let checkpoint: AuditCheckpoint | undefined;
    try {
      checkpoint = await deps.audit.checkpoint();
    } catch (error) {
      if (!(error instanceof AuditAnchorError)) throw error;
      io.err.write(`Refused to sign a checkpoint: ${error.message}.\n`);
      return Exit.found;
    }
    if (!checkpoint) {
      io.err.write('The audit trail is empty: there is nothing to sign yet.\n');
      return Exit.found;
    }
    const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
    if (out) {
      writeFileSync(out, text, { mode: 0o644 });
      io.err.write(`Checkpoint of event #${checkpoint.seq} written to ${out}.\n`);
    } else io.out.write(text);
    return Exit.ok;
  });
}

function describeResult(result: VerifyResult): string {
  const anchor = result.lastCheckpoint
    ? `the checkpoint of ${result.lastCheckpoint.createdAt} (event #${result.lastCheckpoint.seq})`
    : null;
  const legacy = result.legacyRows > 0 ? ` (${result.legacyRows} from before the keyed chain)` : '';
  if (result.ok)
    return (
      `The audit trail is intact: ${result.rows} events checked${legacy}, ` +
      `${result.checkpoints} ${result.checkpoints === 1 ? 'checkpoint' : 'checkpoints'} matched` +
      `${anchor ? `, the newest ${anchor}` : ''}.\n`
    );
  const where = result.brokenId
    ? `event #${result.brokenSeq} (id ${result.brokenId})`
    : `event #${result.brokenSeq}`;
  return (
    `The audit trail is broken at ${where}: ${result.reason}.\n` +
    (anchor
      ? `It held up to ${anchor}; the change is after that checkpoint.\n`
      : 'No checkpoint before it holds.\n')
  );
}
