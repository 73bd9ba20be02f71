import { adminCommand } from './admin.ts';
import { auditCommand } from './audit.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import type { Command } from './command.ts';
import { demoCommand } from './demo.ts';
import { gatewayCommand } from './gateway.ts';
import { mailcheckCommand } from './mailcheck.ts';
import { migrateCommand } from './migrate.ts';
import { scanCommand } from './scan.ts';
import { serveCommand } from './serve.ts';

/** Every `zegel` subcommand, in the order `zegel --help` lists them. */
export const commands: Command[] = [
  serveCommand,
  migrateCommand,
  adminCommand,
  auditCommand,
  backupCommand,
  restoreCommand,
  demoCommand,
  scanCommand,
  mailcheckCommand,
  gatewayCommand,
];
