#!/usr/bin/env node
// Node 24 runs the TypeScript sources directly (type stripping); no build step for the server.
import { runCli } from '../src/cli/main.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  in: process.stdin,
});
