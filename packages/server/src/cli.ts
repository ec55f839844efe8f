import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './main.ts';
import { rotateKeys } from './tokens/rotate.ts';

const USAGE = `latchkey — a self-hosted, Descope-compatible auth server

Usage:
  latchkey start                      start the server (configuration from environment variables)
  latchkey keys rotate [projectId]    add a new signing key and retire the old ones (all projects if none given)
  latchkey help                       show this help
`;

async function start(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  const created = server.bootstrap.created;
  if (created) {
    // Shown once, on the console only: the structured log never carries the key.
    process.stdout.write(
      `\nLatchkey created a project for you.\n  Project ID:     ${created.projectId}\n  Management key: ${created.managementKey}\n  (also saved to ${created.credentialsFile}, mode 0600)\n\n`,
    );
  }
  server.app.log.info({ url: server.url, store: server.store.dialect }, 'latchkey listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      server.app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, arg] = argv;
  if (command === 'start' || command === undefined) return start();
  if (command === 'keys' && sub === 'rotate') {
    const rotated = await rotateKeys(loadConfig(), arg);
    for (const r of rotated) process.stdout.write(`project ${r.projectId}: new signing key ${r.kid}\n`);
    return;
  }
  process.stdout.write(USAGE);
  if (command !== 'help' && command !== '--help') process.exitCode = 2;
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`latchkey: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
