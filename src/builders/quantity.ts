/**
 * Kubernetes resource quantities in the API server's canonical form.
 *
 * The API server does not keep a quantity as written: it parses it and stores the canonical
 * serialisation (`1000m` → `1`, `0.5` → `500m`, `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`). If the hook sent the
 * user's spelling, Metacontroller's 3-way merge would see `1000m` (desired) against `1` (observed) on every
 * sync and PUT the StatefulSet again each time. So every quantity the hook emits goes through
 * `canonicalQuantity`, a port of apimachinery's `Quantity.CanonicalizeBytes`.
 *
 * Values are held exactly as BigInt numerators over 10^9 (Kubernetes rounds anything finer than nano up).
 */

import { quantityParts, type QuantityFormat } from '../api/quantity.js';

const NANO = 1_000_000_000n;

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIX).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIX).map(([s, e]) => [e, s]));

type Format = QuantityFormat;

export interface ParsedQuantity {
  /** value × 10^9, rounded up (away from zero for negatives, like apimachinery). */
  readonly nanos: bigint;
  readonly format: Format;
}

/** The grammar is src/api/quantity.ts's (one parser for validation and output); here the value is held in nanos. */
export function parseQuantity(text: string | number): ParsedQuantity | undefined {
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
  const q = parseQuantity(text);
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
