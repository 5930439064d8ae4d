/**
 * Image-tag logic that decides which env/command shape a RisingWave image understands.
 *
 * The Go operator compares tags with golang.org/x/mod/semver, parses nightly dates with Go's strict
 * `time.Parse("2006-01-02")`, and matches a few version families by string prefix. Each function here
 * reproduces one of those decisions exactly, including how non-semver tags such as `latest` fall out.
 */

/**
 * The tag of an image reference: the text after the last ':' in the last path segment, ignoring a
 * `@digest`; "latest" when there is no tag. An empty image has no tag (""), as in the operator.
 */
export function imageTag(image: string): string {
  if (image === '') return '';
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 ? 'latest' : lastSegment.slice(colon + 1);
}

/**
 * A version as golang.org/x/mod/semver reads it. Numeric parts stay decimal strings so that comparison
 * is exact for any length, as in Go.
 */
export interface Semver {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Dot-separated pre-release identifiers, without the leading '-'; empty when there are none. */
  readonly prerelease: readonly string[];
  /** Build metadata without the leading '+'; "" when absent. Ignored by comparison. */
  readonly build: string;
}

const NUM = '(0|[1-9][0-9]*)';
const PRE_ID = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
// x/mod/semver accepts the shorthands vMAJOR and vMAJOR.MINOR, but only without pre-release or build.
const SHORT = new RegExp(`^v${NUM}(?:\\.${NUM})?$`);
const FULL = new RegExp(
  `^v${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);

/** Parses a Go-style semantic version ("v1.2.3-rc.1+b", or the shorthands "v1", "v1.2"); undefined if invalid. */
export function parseSemver(tag: string): Semver | undefined {
  const full = FULL.exec(tag);
  if (full) {
    return {
      major: full[1]!,
      minor: full[2]!,
      patch: full[3]!,
      prerelease: full[4] === undefined ? [] : full[4].split('.'),
      build: full[5] ?? '',
    };
  }
  const short = SHORT.exec(tag);
  if (short) {
    return { major: short[1]!, minor: short[2] ?? '0', patch: '0', prerelease: [], build: '' };
  }
  return undefined;
}

function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isNumeric(id: string): boolean {
  return /^[0-9]+$/.test(id);
}

function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  // A release ranks above any of its pre-releases.
  if (a.length === 0 || b.length === 0) {
    if (a.length === b.length) return 0;
    return a.length === 0 ? 1 : -1;
  }
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const xn = isNumeric(x);
    const yn = isNumeric(y);
    if (xn && yn) return compareDecimal(x, y);
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * `semver.Compare` of golang.org/x/mod: invalid versions are equal to each other and below every valid one.
 */
export function compareSemver(v: string, w: string): number {
  const pv = parseSemver(v);
  const pw = parseSemver(w);
  if (!pv && !pw) return 0;
  if (!pv) return -1;
  if (!pw) return 1;
  return (
    compareDecimal(pv.major, pw.major) ||
    compareDecimal(pv.minor, pw.minor) ||
    compareDecimal(pv.patch, pw.patch) ||
    comparePrerelease(pv.prerelease, pw.prerelease)
  );
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The UTC date of a `nightly-YYYY-MM-DD` tag, with Go's `time.Parse("2006-01-02")` strictness (exactly
 * that many digits, a real calendar day, nothing after it); undefined for any other tag.
 */
export function nightlyDate(tag: string): { year: number; month: number; day: number } | undefined {
  const m = /^nightly-([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(tag);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** A nightly tag dated strictly after the given calendar day. */
export function isNightlyAfter(tag: string, year: number, month: number, day: number): boolean {
  const d = nightlyDate(tag);
  if (!d) return false;
  return d.year * 10000 + d.month * 100 + d.day > year * 10000 + month * 100 + day;
}

/** First release whose meta node takes SQL credentials as separate env (risingwave PR #17530). */
export const MIN_VERSION_SQL_CREDENTIALS_VIA_ENV = 'v1.10.1';

/**
 * Whether the image needs the old meta-store env (`RW_BACKEND=sql` with a DSN). True for tags below
 * v1.10.1 that are not nightlies after 2023-07-14 — which includes every non-semver tag like `latest`.
 */
export function usesLegacyMetaStoreEnv(tag: string): boolean {
  const modern = compareSemver(tag, MIN_VERSION_SQL_CREDENTIALS_VIA_ENV) >= 0 || isNightlyAfter(tag, 2023, 7, 14);
  return !modern;
}

/**
 * Whether the license key is mounted as a file (`RW_LICENSE_KEY_PATH`) rather than passed as
 * `RW_LICENSE_KEY`. `passAsFile`, when set either way, decides (risingwave-operator v0.17.2's
 * useLicenseFile; the parity suite caught `false` being ignored). Otherwise only v0.*, v1.* and v2.0.*
 * images take the env form, matched by prefix, so non-semver tags (latest, nightlies) get the file.
 */
export function passesLicenseAsFile(tag: string, passAsFile?: boolean): boolean {
  if (passAsFile !== undefined) return passAsFile;
  const envOnly = tag.startsWith('v0.') || tag.startsWith('v1.') || tag.startsWith('v2.0.');
  return !envOnly;
}

const LEGACY_STANDALONE_PREFIXES = ['v1.3.', 'v1.4.', 'v1.5.', 'v1.6.', 'v1.7.'];

/**
 * Whether the standalone pod runs `risingwave single-node` (true) or the old `standalone` subcommand.
 * Mode 2 forces single-node, mode 1 forces the old form; mode 0 picks the old form only for v1.3–v1.7,
 * the releases that had it. Any other mode value falls through to the old form, as in the operator.
 * `tag` must be the tag of `spec.image` (the operator ignores the template's image here).
 */
export function standaloneUsesSingleNode(tag: string, standaloneMode: number): boolean {
  switch (standaloneMode) {
    case 0:
      return !LEGACY_STANDALONE_PREFIXES.some((p) => tag.startsWith(p));
    case 2:
      return true;
    default:
      return false;
  }
}
