import { SETTINGS, SettingsError, loadSettings } from '../server/config.js';
import { CliError, UsageError, type CliIO } from './io.js';

export function serveHelp(): string {
  const width = Math.max(...SETTINGS.map((s) => s.name.length));
  const rows = SETTINGS.map((s) => `  ${s.name.padEnd(width)}  ${s.description}${s.default ? ` [${s.default}]` : ''}`);
  return `Usage: rw-hook serve

Runs the Metacontroller hook server: POST /sync, POST /customize, GET /healthz, /readyz, /metrics.
Configured only through the environment (defaults in brackets):

${rows.join('\n')}

SIGTERM/SIGINT: /readyz turns 503, in-flight syncs finish, then the process exits 0.
`;
}

/** Starts the server; resolves once it listens. The process then lives until a signal. */
export async function serveCommand(args: string[], io: CliIO): Promise<number | undefined> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(serveHelp());
    return 0;
  }
  if (args.length > 0) throw new UsageError(`takes no arguments (settings come from the environment), got ${args.join(' ')}`);
  let settings;
  try {
    settings = loadSettings(io.env);
  } catch (err) {
    if (err instanceof SettingsError) throw new CliError(`${err.message}\n(rw-hook serve --help lists every setting)`);
    throw err;
  }
  const { serve } = await import('../server/main.js');
  await serve(settings);
  return undefined;
}
