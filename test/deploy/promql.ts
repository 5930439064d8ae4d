/**
 * Just enough PromQL reading for the dashboard test: which metric names and which selectors an expression
 * uses, and which Grafana variables a text references. Not a parser: it removes what cannot hold a metric
 * name (strings, matcher bodies, ranges, grouping label lists, variables) and classifies what is left.
 * An unknown function name is an error, so a misspelt `rat(` fails instead of passing as a metric.
 */

const AGGREGATIONS = new Set([
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile',
  'limitk', 'limit_ratio',
]);

const FUNCTIONS = new Set([
  'abs', 'absent', 'absent_over_time', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'avg_over_time', 'ceil',
  'changes', 'clamp', 'clamp_max', 'clamp_min', 'cos', 'cosh', 'count_over_time', 'day_of_month', 'day_of_week',
  'day_of_year', 'days_in_month', 'deg', 'delta', 'deriv', 'double_exponential_smoothing', 'end', 'exp', 'floor',
  'histogram_avg', 'histogram_count', 'histogram_fraction', 'histogram_quantile', 'histogram_stddev',
  'histogram_stdvar', 'histogram_sum', 'holt_winters', 'hour', 'idelta', 'increase', 'irate', 'label_join',
  'label_replace', 'last_over_time', 'ln', 'log10', 'log2', 'mad_over_time', 'max_over_time', 'min_over_time',
  'minute', 'month', 'predict_linear', 'present_over_time', 'quantile_over_time', 'rad', 'rate', 'resets', 'round',
  'scalar', 'sgn', 'sin', 'sinh', 'sort', 'sort_by_label', 'sort_by_label_desc', 'sort_desc', 'sqrt', 'start',
  'stddev_over_time', 'stdvar_over_time', 'sum_over_time', 'tan', 'tanh', 'time', 'timestamp', 'vector', 'year',
]);

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'atan2', 'inf', 'nan']);

const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
/** `$name`, `${name}`, `${name:format}`, `[[name]]`, `[[name:format]]`. */
const VARIABLE = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/g;

/** The Grafana variables a text references, without Grafana's own (`$__rate_interval`, `$__all`, ...). */
export function templateVariables(text: string): string[] {
  const names = [...text.matchAll(VARIABLE)].map((m) => (m[1] ?? m[2] ?? m[3])!);
  return [...new Set(names.filter((n) => !n.startsWith('__')))];
}

/** Splits on `sep` outside parentheses, braces, brackets and strings. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * The PromQL inside a Grafana Prometheus variable query: `label_values(expr, label)` reads `expr`,
 * `label_values(label)` reads no metric, `query_result(expr)` reads `expr`; anything else is PromQL already.
 */
export function variableQueryPromql(query: string): string {
  const call = /^\s*(label_values|query_result|metrics|label_names)\s*\(([\s\S]*)\)\s*$/.exec(query);
  if (call === null) return query;
  const [, fn, inner] = call;
  if (fn === 'query_result') return inner!;
  if (fn === 'label_values') {
    const args = splitTopLevel(inner!, ',');
    return args.length === 1 ? '' : args.slice(0, -1).join(',');
  }
  throw new Error(`${fn}() lists names by regex; it reads no metric the test can check`);
}

/** Every metric name the expression reads, once per occurrence, in order. */
export function metricNames(expr: string): string[] {
  const reduced = expr
    .replace(STRING, '""')
    // Before ranges: `[[var]]` is the old variable syntax, not a range.
    .replace(VARIABLE, ' 0 ')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1 ()');
  const names: string[] = [];
  const token = /(0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])*|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_:][\w:]*)/g;
  for (const m of reduced.matchAll(token)) {
    const ident = m[2];
    if (ident === undefined) continue;
    if (KEYWORDS.has(ident) || AGGREGATIONS.has(ident)) continue;
    const next = reduced.slice(m.index! + ident.length).trimStart()[0];
    if (next === '(') {
      if (!FUNCTIONS.has(ident)) throw new Error(`unknown PromQL function ${ident}() in: ${expr}`);
      continue;
    }
    names.push(ident);
  }
  return names;
}

export interface Selector {
  readonly metric: string;
  /** Label name => operator and value as written (unescaped only for `\"`). */
  readonly matchers: Readonly<Record<string, { readonly op: string; readonly value: string }>>;
}

/** Every `metric{...}` of the expression; a metric without braces has no entry. */
export function selectors(expr: string): Selector[] {
  const out: Selector[] = [];
  const selector = /([A-Za-z_:][\w:]*)\s*\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}/g;
  for (const m of expr.matchAll(selector)) {
    const matchers: Record<string, { op: string; value: string }> = {};
    for (const part of splitTopLevel(m[2]!, ',')) {
      if (part.trim() === '') continue;
      const mm = /^\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(part);
      if (mm === null) throw new Error(`unreadable matcher ${JSON.stringify(part)} in: ${expr}`);
      matchers[mm[1]!] = { op: mm[2]!, value: mm[3]!.replace(/\\"/g, '"') };
    }
    out.push({ metric: m[1]!, matchers });
  }
  return out;
}
