import { ConfigError, environmentWith, loadConfig } from '../config.ts';
import { DataDirectoryLockedError } from '../db/database.ts';
import { startServer } from '../main.ts';
import { type Command, Exit } from './command.ts';
import { parseCommandArgs } from './main.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the Zegel server',
  help: `Usage: zegel serve [--embedded] [--port N] [--data-dir DIR]

Starts the server. Configuration comes from environment variables (see the README);
these options override them.

  --embedded        Embedded mode: PGlite, files on disk, mail and SMS to the outbox
                    (shown at /outbox), and a demo organisation on first start.
  --port N          Port to listen on (default 8080; 0 picks a free port).
  --data-dir DIR    Data directory (default .zegel-data).`,
  async run(args, io) {
    const { values } = parseCommandArgs({
      args,
      allowPositionals: false,
      options: { embedded: { type: 'boolean' }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(
        {},
        environmentWith({
          PORT: values.port,
          ZEGEL_DATA_DIR: values['data-dir'],
          ZEGEL_EMBEDDED: values.embedded ? 'true' : undefined,
        }),
      );
    } catch (error) {
      if (error instanceof ConfigError) {
        io.err.write(`${error.message}\n`);
        return Exit.error;
      }
      throw error;
    }
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer(config);
    } catch (error) {
      if (error instanceof DataDirectoryLockedError) {
        io.err.write(`zegel serve: ${error.message}\n`);
        return Exit.error;
      }
      throw error;
    }
    io.out.write(`\nZegel is running at ${server.url}\n`);
    if (server.smtpPort)
      io.out.write(`Mail gateway (SMTP submission, STARTTLS): ${config.host}:${server.smtpPort}\n`);
    if (server.demo) {
      io.out.write(
        `\nDemo organisation "Gemeente Voorbeeld". Sign in with:\n` +
          `  e-mail:    ${server.demo.email}\n` +
          `  password:  ${server.demo.password}\n` +
          `  code:      run \`npx zegel demo\` for the current code, or add the secret\n` +
          `             ${server.demo.totpSecret} to an authenticator app.\n` +
          `Mail and text messages go to the outbox: ${server.url}/outbox\n\n`,
      );
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    // The bound: whatever still holds the process a few seconds past the grace period is cut.
    setTimeout(() => process.exit(Exit.error), (config.shutdownSeconds + 5) * 1000).unref();
    await server.close();
    return Exit.ok;
  },
};
