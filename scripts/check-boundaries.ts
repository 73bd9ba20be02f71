/**
 * `npm run check` part 3: the dependency rules of docs/architecture.md, enforced on the
 * import statements of every source file, and the feature graph of scripts/feature-graph.ts
 * (rules in scripts/check-feature-graph.ts; the violations the tree still has are listed in
 * scripts/feature-graph-pending.ts). Prints each violation and exits 1 if there is any.
 * `--print-pending` prints the pending list as today's tree has it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  checkFeatureGraph,
  checkGraphShape,
  comparePending,
  describeComparison,
  type GraphViolation,
  type PendingComparison,
  pendingSource,
  type SourceFile,
} from './check-feature-graph.ts';
import { serverGraph, webGraph } from './feature-graph.ts';
import { pending } from './feature-graph-pending.ts';

const root = new URL('..', import.meta.url).pathname;

export interface Violation {
  file: string;
  line: number;
  rule: string;
}

function walk(dir: string, files: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, files);
    else if (/\.(ts|tsx)$/.test(entry)) files.push(path);
  }
  return files;
}

const IMPORT =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

/** Checks one file's imports against the rules; `path` is relative to the repository root, with `/`. */
export function checkFile(path: string, source: string): Violation[] {
  const violations: Violation[] = [];
  const isTest = /\.test\.tsx?$/.test(path) || path.startsWith('apps/server/test/');
  const feature = /^apps\/server\/src\/features\/([^/]+)\//.exec(path)?.[1];
  const add = (index: number, rule: string) =>
    violations.push({ file: path, line: source.slice(0, index).split('\n').length, rule });

  for (const match of source.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3] ?? '';
    const at = (match.index ?? 0) + match[0].search(/\S/); // past the whitespace the pattern may start with
    if (path.startsWith('packages/protocol/src/')) {
      if (spec.startsWith('node:') && !isTest)
        add(at, `protocol must not import ${spec} (it runs in browsers)`);
      if (/(^|\/)apps\//.test(spec) || spec.startsWith('@zegel/server') || spec.startsWith('@zegel/web')) {
        add(at, 'protocol must not import from apps/');
      }
    }
    if (path.startsWith('apps/web/') && (spec.startsWith('@zegel/server') || /apps\/server/.test(spec))) {
      add(at, 'the web app must not import the server');
    }
    if (path.startsWith('apps/server/') && (spec.startsWith('@zegel/web') || /apps\/web/.test(spec))) {
      add(at, 'the server must not import the web app');
    }
    if (spec === 'node:crypto' || spec === 'crypto') {
      if (
        !path.startsWith('apps/server/src/adapters/') &&
        !isTest &&
        !path.startsWith('bench/') &&
        !path.startsWith('scripts/')
      ) {
        add(at, 'node:crypto only inside apps/server/src/adapters/');
      }
    }
    if (/^(@hpke\/|hash-wasm)/.test(spec) && !path.startsWith('packages/protocol/src/crypto/')) {
      add(at, `${spec} only inside packages/protocol/src/crypto (use @zegel/protocol/crypto)`);
    }
    if (
      /@zegel\/protocol\/src\/crypto\//.test(spec) ||
      (path.startsWith('apps/') && /protocol\/src\/crypto\/(?!index)/.test(spec))
    ) {
      add(at, 'crypto only through its public door @zegel/protocol/crypto');
    }
    if (feature && !isTest) {
      const otherStore = /\.\.\/([^/]+)\/store\.ts$/.exec(spec);
      if (otherStore && otherStore[1] !== feature)
        add(at, `feature ${feature} must not use the store of ${otherStore[1]}`);
      if (/(^|\/)store\.ts$/.test(path) && /(service|routes)\.ts$/.test(spec))
        add(at, 'a store holds SQL only: no services or routes');
      if (
        !/routes\.ts$/.test(path) &&
        (spec === 'fastify' || spec.startsWith('@fastify/') || /\/http\//.test(spec))
      ) {
        add(at, 'only routes.ts may see Fastify or the http layer');
      }
    }
    if (path.startsWith('apps/server/src/adapters/') && !isTest && /\/features\//.test(spec)) {
      add(at, 'adapters must not import features');
    }
  }
  if (
    /\bprocess\.env\b/.test(source) &&
    path.startsWith('apps/server/src/') &&
    path !== 'apps/server/src/config.ts' &&
    !isTest
  ) {
    add(source.indexOf('process.env'), 'only config.ts reads process.env');
  }
  return violations;
}

function repositoryFiles(): SourceFile[] {
  const files = ['packages', 'apps', 'bench', 'scripts', 'e2e'].flatMap((d) => walk(join(root, d)));
  return files.map((file) => ({
    path: relative(root, file).split(sep).join('/'),
    source: readFileSync(file, 'utf8'),
  }));
}

export function checkRepository(): Violation[] {
  return repositoryFiles().flatMap((file) => checkFile(file.path, file.source));
}

/** Every feature-graph violation of the tree, pending or not. */
export function checkRepositoryGraph(): GraphViolation[] {
  const files = repositoryFiles();
  const graphFile = files.find((f) => f.path === 'scripts/feature-graph.ts')!;
  return [serverGraph, webGraph].flatMap((graph) => [
    ...checkGraphShape(graph, graphFile),
    ...checkFeatureGraph(graph, files),
  ]);
}

export function checkRepositoryAgainstPending(): PendingComparison {
  return comparePending(checkRepositoryGraph(), pending);
}

function reportGraph(): boolean {
  const { errors, summary } = describeComparison(checkRepositoryAgainstPending());
  for (const line of errors) console.error(line);
  if (errors.length > 0) console.error(`\n${summary}`);
  else console.log(summary);
  return errors.length === 0;
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--print-pending')) {
  process.stdout.write(pendingSource(checkRepositoryGraph()));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const violations = checkRepository();
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.rule}`);
  if (violations.length > 0) console.error(`\n${violations.length} import boundary violation(s).`);
  else console.log('Import boundaries: ok');
  const graphOk = reportGraph();
  if (violations.length > 0 || !graphOk) process.exit(1);
}
