import { UsageError, type CliIO } from './io.js';

export const CRD_HELP = `Usage: rw-hook crd

Prints the RisingWave CustomResourceDefinition (YAML) generated from the hook's TypeBox schema, the same
schema the hook defaults and validates with. \`npm run crd\` writes it to crds/.
`;

export async function crdCommand(args: string[], io: CliIO): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(CRD_HELP);
    return 0;
  }
  if (args.length > 0) throw new UsageError(`takes no arguments, got ${args.join(' ')}`);
  const { generateCrdYaml } = await import('../crd/generate.js');
  io.stdout.write(generateCrdYaml());
  return 0;
}
