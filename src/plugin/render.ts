import { UsageError, type CliIO } from '../cli/io.js';
import { RENDER_TIME, renderCommand as hookRenderCommand } from '../cli/render.js';
import { parseCommandArgs, stringOption, type PluginContext } from './args.js';

export const RENDER_HELP = `Usage: kubectl risingwave render -f FILE|- [-o yaml|json] [--validate strict|warn|ignore] [--with-service-monitor]

Prints the children the hook creates for each RisingWave in FILE, exactly as 'rw-hook render' does (YAML
stream by default, '-o json' a List). Works offline: no cluster is contacted. Namespace defaults to
'default' where the manifest has none; the clock is fixed at ${RENDER_TIME}. Each RisingWave is checked as
the API server checks it: a wrong apiVersion or kind, or a field the CRD does not declare, is an error.

Options:
  -f, --filename FILE|-      manifest (YAML or JSON, several documents; '-' reads stdin)
  -o, --output yaml|json     output format (default yaml)
      --validate MODE        unknown fields: strict (default, or true), warn, ignore (or false), as for kubectl
      --with-service-monitor render as if the ServiceMonitor child rule were registered
      --max-unavailable-statefulset
                             render for a cluster with the MaxUnavailableStatefulSet gate
  -h, --help                 this help

Exit 1 when a manifest is refused, a spec is invalid or a reaction failed (the reason is on stderr); 2 on
wrong usage.
`;

/** rw-hook's render command, with its stderr lines named after the plugin. */
export async function renderCommand(args: string[], ctx: PluginContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      filename: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      validate: { type: 'string' },
      'with-service-monitor': { type: 'boolean' },
      'max-unavailable-statefulset': { type: 'boolean' },
    },
  );
  if (values.help) {
    ctx.io.stdout.write(RENDER_HELP);
    return 0;
  }
  const cluster = ['namespace', 'kubeconfig', 'context'].filter((k) => values[k] !== undefined);
  if (cluster.length > 0) {
    throw new UsageError(`render works offline and takes no --${cluster[0]} (a manifest without metadata.namespace renders in 'default')`);
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (the manifest is given with -f FILE)`);
  const file = stringOption(values, 'filename');
  if (file === undefined) throw new UsageError('-f FILE is required');
  const output = stringOption(values, 'output') ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') throw new UsageError(`--output must be yaml or json, got ${JSON.stringify(output)}`);

  const io: CliIO = {
    ...ctx.io,
    stderr: { write: (s: string) => ctx.io.stderr.write(s.replace(/^rw-hook render: /gm, 'kubectl-risingwave render: ')) },
  };
  const validate = stringOption(values, 'validate');
  return hookRenderCommand(
    [
      '--output',
      output,
      ...(validate !== undefined ? ['--validate', validate] : []),
      ...(values['with-service-monitor'] ? ['--with-service-monitor'] : []),
      ...(values['max-unavailable-statefulset'] ? ['--max-unavailable-statefulset'] : []),
      '--',
      file,
    ],
    io,
  );
}
