import { parseArgs } from 'node:util';
import { UsageError } from './io.js';

export type FlagSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
export type FlagValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/**
 * Strict flag parsing for both bins, with errors in kubectl's (pflag's) words rather than Node's parseArgs text:
 * `unknown flag: --foo`, `unknown shorthand flag: 'x' in -x`, `flag needs an argument: --output`. Options may
 * come before or after positionals; `--` ends them. A boolean flag also takes pflag's `--flag=true|false`.
 */
export function parseFlags(args: readonly string[], options: Record<string, FlagSpec>): { values: FlagValues; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: booleanValues(args, options), allowPositionals: true, strict: true, options });
    return { values: parsed.values as FlagValues, positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError(kubectlWords(err as Error & { code?: string }, args, options));
  }
}

function kubectlWords(err: Error & { code?: string }, args: readonly string[], options: Record<string, FlagSpec>): string {
  const quoted = /'(-[^' ]*)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      if (quoted === undefined) break;
      if (quoted.startsWith('--')) return `unknown flag: ${quoted}`;
      // A short option is reported on its own letter even when it came in a cluster (-vx).
      const arg = args.find((a) => /^-[^-]/.test(a) && a.includes(quoted.slice(1))) ?? quoted;
      return `unknown shorthand flag: '${quoted.slice(1)}' in ${arg}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // "Option '-o, --output <value>' argument missing" / "Option '--help' does not take an argument"
      const long = /--([\w-]+)/.exec(err.message)?.[1];
      if (long === undefined) break;
      if (options[long]?.type === 'boolean') {
        const given = args.find((a) => a.startsWith(`--${long}=`))?.slice(long.length + 3) ?? '';
        return `invalid argument ${JSON.stringify(given)} for "--${long}" flag: a boolean flag takes no value`;
      }
      return `flag needs an argument: --${long}`;
    }
  }
  return err.message.replace(/\s*\n\s*/g, ' ');
}

/** `--flag=true` -> `--flag`, `--flag=false` -> nothing (every boolean flag here defaults to false), up to `--`. */
function booleanValues(args: readonly string[], options: Record<string, FlagSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return [...out, ...args.slice(i)];
    const m = /^--([^=]+)=(true|false)$/.exec(a);
    if (m && options[m[1]!]?.type === 'boolean') {
      if (m[2] === 'true') out.push(`--${m[1]}`);
    } else {
      out.push(a);
    }
  }
  return out;
}
