// `npm run bench:fleet`: see bench/fleet/main.ts. The harness it drives (test/e2e/cluster, test/e2e/operator)
// is TypeScript; Vite's module runner (a devDependency through vitest) loads it without a build step.
import { runnerImport } from 'vite';

const { module } = await runnerImport(new URL('./fleet/main.ts', import.meta.url).pathname);
await module.main();
