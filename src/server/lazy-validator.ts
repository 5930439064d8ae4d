import { createRequire } from 'node:module';

/**
 * Fastify's own Ajv validator compiler, built on first use instead of when the server starts. Loading Ajv
 * and compiling its meta-schema plus the envelope schemas is ~60 ms, most of what stood between starting
 * the process and /readyz; `warm()` builds them right after the server listens, so requests still find
 * them built. Same compiler, same options, same error objects (and 400 messages) as fastify's default.
 */
type ValidateFn = ((data: unknown) => boolean) & { errors?: unknown };
type RouteSchema = { schema: unknown; method?: string; url?: string; httpPart?: string };
type Compile = (route: RouteSchema) => ValidateFn;
type BuildValidator = (externalSchemas: unknown, ajvOptions: unknown) => Compile;

// Resolved from fastify's own location: it is fastify's dependency, the one it would load itself.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

export interface LazyValidators {
  readonly buildValidator: BuildValidator;
  /** Builds every validator created so far. */
  warm(): void;
}

export function lazyValidators(): LazyValidators {
  const pending: Array<() => void> = [];
  const buildValidator: BuildValidator = (externalSchemas, ajvOptions) => {
    let compile: Compile | undefined;
    const compiler = (): Compile => {
      if (compile === undefined) {
        const factory = fromFastify('@fastify/ajv-compiler') as () => BuildValidator;
        compile = factory()(externalSchemas, ajvOptions);
      }
      return compile;
    };
    return (route) => {
      let real: ValidateFn | undefined;
      const build = (): ValidateFn => (real ??= compiler()(route));
      pending.push(() => void build());
      const validate: ValidateFn = (data) => {
        const fn = build();
        const ok = fn(data);
        validate.errors = fn.errors;
        return ok;
      };
      return validate;
    };
  };
  return {
    buildValidator,
    warm() {
      for (const build of pending.splice(0)) build();
    },
  };
}

/** Response schemas are not used; fastify's serializer compiler (fast-json-stringify) is never loaded. */
export function noSerializerCompiler(): () => never {
  return () => {
    throw new Error('response schemas are not used by this server');
  };
}
