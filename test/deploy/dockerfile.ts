/**
 * A small Dockerfile parser, enough to check the project's own Dockerfile without a container engine
 * (none exists on the development and CI machines): line continuations, comments, parser directives,
 * `--flag=value` options, JSON (exec) form, and stages.
 */

export interface Instruction {
  /** Upper-cased keyword: FROM, RUN, COPY, ... */
  readonly keyword: string;
  /** `--from=build` → `{from: 'build'}`. */
  readonly flags: Readonly<Record<string, string>>;
  /** The arguments after the flags, as written (continuations joined with a space). */
  readonly args: string;
  /** The exec-form array when the arguments are a JSON array, else undefined (shell form). */
  readonly json: readonly string[] | undefined;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

export interface Stage {
  readonly index: number;
  /** `AS <name>`, lower-cased as Docker does; undefined for an unnamed stage. */
  readonly name: string | undefined;
  /** The image (or earlier stage) named by FROM. */
  readonly base: string;
  readonly from: Instruction;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
}

const DIRECTIVE = /^#\s*[a-zA-Z]+\s*=/;

/** Joins continuation lines and drops comments (a parser directive is a comment too). */
function logicalLines(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let current: { parts: string[]; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    // Comments inside a continued instruction are skipped; so are blank lines.
    if (trimmed === '' || trimmed.startsWith('#') || DIRECTIVE.test(trimmed)) return;
    const continues = /\\\s*$/.test(raw);
    const body = continues ? raw.replace(/\\\s*$/, '') : raw;
    if (current) current.parts.push(body.trim());
    else current = { parts: [body.trim()], line: i + 1 };
    if (!continues) {
      out.push({ text: current.parts.join(' ').trim(), line: current.line });
      current = undefined;
    }
  });
  if (current) out.push({ text: current.parts.join(' ').trim(), line: current.line });
  return out;
}

function parseInstruction(text: string, line: number): Instruction {
  const m = /^(\S+)\s*(.*)$/.exec(text)!;
  const keyword = m[1]!.toUpperCase();
  let rest = m[2]!;
  const flags: Record<string, string> = {};
  for (let f = /^--([a-zA-Z-]+)(?:=(\S*))?\s*/.exec(rest); f; f = /^--([a-zA-Z-]+)(?:=(\S*))?\s*/.exec(rest)) {
    flags[f[1]!] = f[2] ?? 'true';
    rest = rest.slice(f[0].length);
  }
  let json: string[] | undefined;
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) json = parsed;
    } catch {
      // Docker falls back to shell form when the array is not valid JSON.
    }
  }
  return { keyword, flags, args: rest, json, line };
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions = logicalLines(text).map((l) => parseInstruction(l.text, l.line));
  const stages: Stage[] = [];
  let open: { from: Instruction; base: string; name: string | undefined; body: Instruction[] } | undefined;
  const close = () => {
    if (open) stages.push({ index: stages.length, name: open.name, base: open.base, from: open.from, instructions: open.body });
  };
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      close();
      const m = /^(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: cannot parse FROM ${ins.args}`);
      open = { from: ins, base: m[1]!, name: m[2]?.toLowerCase(), body: [] };
    } else if (open) {
      open.body.push(ins);
    } else if (ins.keyword !== 'ARG') {
      throw new Error(`line ${ins.line}: ${ins.keyword} before the first FROM`);
    }
  }
  close();
  return { instructions, stages };
}

export interface ImageRef {
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

/** `registry:5000/name:tag@sha256:...` → its parts (the registry port is not a tag). */
export function parseImageRef(ref: string): ImageRef {
  const [nameAndTag, digest] = ref.split('@', 2) as [string, string | undefined];
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  return colon < 0
    ? { repository: nameAndTag, tag: undefined, digest }
    : { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}

/** `COPY [--from=x] src... dest` → sources and destination (shell or JSON form). */
export function copyPaths(ins: Instruction): { sources: string[]; dest: string } {
  const parts = ins.json ?? ins.args.split(/\s+/).filter(Boolean);
  if (parts.length < 2) throw new Error(`line ${ins.line}: ${ins.keyword} needs a source and a destination`);
  return { sources: parts.slice(0, -1), dest: parts[parts.length - 1]! };
}

/** The stage's working directory after its last WORKDIR (relative WORKDIRs resolve against the previous one). */
export function workdirOf(stage: Stage, stages: readonly Stage[]): string {
  const parent = stages.find((s) => s.name === stage.base.toLowerCase() && s.index < stage.index);
  let dir = parent ? workdirOf(parent, stages) : '/';
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'WORKDIR') continue;
    dir = ins.args.startsWith('/') ? ins.args : `${dir.replace(/\/$/, '')}/${ins.args}`;
  }
  return dir;
}

/** `ENV A=b C=d` / `ENV A b` in a stage (and the stages it builds on), as a map. */
export function envOf(stage: Stage, stages: readonly Stage[]): Record<string, string> {
  const parent = stages.find((s) => s.name === stage.base.toLowerCase() && s.index < stage.index);
  const env: Record<string, string> = parent ? envOf(parent, stages) : {};
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'ENV') continue;
    if (!ins.args.includes('=')) {
      const [k, ...v] = ins.args.split(/\s+/);
      env[k!] = v.join(' ');
      continue;
    }
    for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) env[m[1]!] = m[3] ?? m[2]!;
  }
  return env;
}
