/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource), parsed exactly:
 *   quantity ::= sign? (digits | digits '.' digits? | '.' digits) suffix?
 *   suffix   ::= Ki | Mi | Gi | Ti | Pi | Ei            (powers of 1024)
 *              | n | u | m | '' | k | M | G | T | P | E  (powers of 1000)
 *              | (e | E) sign? digits                   (powers of ten)
 * The arithmetic is done on integers (BigInt) and converted to a JS number once at the end, so "0.1",
 * "100m" and "1e-1" all give the same double, and "1.5Gi" is exactly 1610612736.
 */

const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export class QuantityError extends Error {
  constructor(readonly input: unknown) {
    super(`invalid quantity ${JSON.stringify(input)}`);
    this.name = 'QuantityError';
  }
}

/** Whether `q` is a quantity the API server would accept (same grammar as parseQuantity). */
export function isQuantity(q: unknown): q is string | number {
  if (typeof q === 'number') return Number.isFinite(q);
  return typeof q === 'string' && QUANTITY.test(q.trim()) && q.trim() === q;
}

/** How a quantity was written: the API server keeps that form when it re-serialises the value. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A quantity as an exact fraction: value = (negative ? -1 : 1) × numerator / denominator. */
export interface QuantityParts {
  readonly negative: boolean;
  readonly numerator: bigint;
  readonly denominator: bigint;
  readonly format: QuantityFormat;
}

/** The exact value of a quantity string, or undefined when it does not follow the grammar above. */
export function quantityParts(q: string): QuantityParts | undefined {
  const match = QUANTITY.exec(q);
  if (!match) return undefined;
  const [, sign, numeral, suffix = ''] = match as unknown as [string, string, string, string | undefined];

  const [whole = '', fraction = ''] = numeral.split('.');
  let numerator = BigInt((whole || '0') + fraction);
  let denominator = 10n ** BigInt(fraction.length);

  let exponent: number;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY_SUFFIXES) {
    numerator *= 1024n ** BigInt(BINARY_SUFFIXES[suffix]!);
    exponent = 0;
    format = 'BinarySI';
  } else if (suffix in DECIMAL_SUFFIXES) {
    exponent = DECIMAL_SUFFIXES[suffix]!;
  } else {
    exponent = Number.parseInt(suffix.slice(1), 10);
    format = 'DecimalExponent';
  }
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  return { negative: sign === '-', numerator, denominator, format };
}

/** The value of a quantity in base units (bytes, cores, ...). Throws QuantityError on malformed input. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new QuantityError(q);
    return q;
  }
  const parts = typeof q === 'string' ? quantityParts(q) : undefined;
  if (!parts) throw new QuantityError(q);
  const { negative, numerator, denominator } = parts;
  const magnitude = numerator % denominator === 0n ? Number(numerator / denominator) : ratio(numerator, denominator);
  return negative ? -magnitude : magnitude;
}

/** numerator / denominator as the nearest double even when both exceed 2^53. */
function ratio(numerator: bigint, denominator: bigint): number {
  const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
  // Both exact as doubles: one IEEE division is correctly rounded.
  if (numerator <= SAFE && denominator <= SAFE) return Number(numerator) / Number(denominator);
  // Scale so the integer quotient carries more than 53 significant bits, then divide once in floating point.
  const SCALE = 10n ** 20n;
  const scaled = (numerator * SCALE) / denominator;
  return Number(scaled) / Number(SCALE);
}

/*
 * Output: quantities in the API server's canonical form.
 *
 * The API server does not keep a quantity as written: it parses it and stores the canonical
 * serialisation (`1000m` → `1`, `0.5` → `500m`, `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`). If the hook sent the
 * user's spelling, Metacontroller's 3-way merge would see `1000m` (desired) against `1` (observed) on every
 * sync and PUT the StatefulSet again each time. So every quantity the hook emits goes through
 * `canonicalQuantity`, a port of apimachinery's `Quantity.CanonicalizeBytes`.
 *
 * Values are held exactly as BigInt numerators over 10^9 (Kubernetes rounds anything finer than nano up).
 */

const NANO = 1_000_000_000n;

const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, n]) => [10 * n, s]));

export interface ParsedQuantity {
  /** value × 10^9, rounded up (away from zero for negatives, like apimachinery). */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

/** The value of a quantity held in nanos (same grammar as parseQuantity). */
export function quantityNanos(text: string | number): ParsedQuantity | undefined {
  const parts = quantityParts(String(text).trim());
  if (!parts) return undefined;
  const { negative, numerator, denominator, format } = parts;
  // Round up to nano precision, as ParseQuantity does.
  const scaled = numerator * NANO;
  let nanos = scaled / denominator;
  if (scaled % denominator !== 0n) nanos += 1n;
  return { nanos: negative ? -nanos : nanos, format };
}

/** The canonical string the API server would store for this quantity; the input itself if it does not parse. */
export function canonicalQuantity(text: string | number): string {
  const q = quantityNanos(text);
  if (!q) return String(text);
  return formatQuantity(q);
}

export function formatQuantity(q: ParsedQuantity): string {
  if (q.nanos === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const exactInteger = q.nanos % NANO === 0n;
    const small = q.nanos > -1024n * NANO && q.nanos < 1024n * NANO;
    if (small || !exactInteger) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let value = q.nanos / NANO;
    let exponent = 0;
    while (exponent < 60 && value % 1024n === 0n) {
      value /= 1024n;
      exponent += 10;
    }
    return `${value}${BINARY_BY_EXPONENT.get(exponent) ?? ''}`;
  }
  // Decimal: the mantissa is the value with trailing zeros removed in groups of three, the exponent a
  // multiple of three starting at -9 (nano).
  let mantissa = q.nanos;
  let exponent = -9;
  while (mantissa % 1000n === 0n && mantissa !== 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  const suffix = DECIMAL_BY_EXPONENT.get(exponent);
  return suffix !== undefined ? `${mantissa}${suffix}` : `${mantissa}e${exponent}`;
}

/** A resource list with every quantity canonical; keys kept. */
export function canonicalResourceList(list: Record<string, string | number> | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const key of Object.keys(list).sort()) out[key] = canonicalQuantity(list[key]!);
  return out;
}
