/**
 * `npm run check`, the feature graph (issue 11): the tree must have the shape that
 * scripts/feature-graph.ts declares, for the server and for the web app.
 *
 * What is checked, and why:
 *  (a) internals: a file imports another unit only through that unit's `index.ts`, so a unit can
 *      change its inside without breaking anyone. A unit's own files import each other freely.
 *      Roots (app.ts, boot.ts, cli/, the web's app/) and files outside every unit (http/, db/,
 *      adapters/…) also go through `index.ts`. No unit imports a root.
 *  (b) edges: an import from unit A into unit B needs `B` in A's `uses`. Shared units (platform/*
 *      on the server; ui, api on the web) may be used by any non-shared unit without declaring
 *      them; a shared unit imports no non-shared unit, and edges between shared units are declared.
 *      The declared graph itself must be acyclic (the cycle is printed) and name only its units.
 *  (c) tables (a graph whose units declare `owns`): a table that a unit's code names in a Kysely
 *      call (selectFrom, insertInto, …, innerJoin, … and `sql.table`) or in a `sql` template
 *      (FROM / JOIN / INTO / UPDATE name) must be owned by that unit. Roots query nothing: they ask a
 *      unit's service. Files outside every unit (db/migrations, db/schema.ts, db/database.ts) are
 *      exempt, as are test files.
 *  (d) size: a non-test file under features/ or platform/ has at most 400 lines and no function
 *      in it more than 100, so that a feature is split by meaning (issue 11, item 3).
 *  And a folder under features/ or platform/ that is no unit of the graph is itself a violation,
 *  so that nothing escapes the rules by not being declared.
 *
 * Test files (`*.test.ts(x)`) may reach any unit's internals and import roots (to set up state and
 * build the app), but a unit's tests still import only units its unit may use. Test helpers in
 * apps/server/test/ lie outside the graph and may import anything.
 *
 * Every function takes the graph and the file contents as arguments, so the tests use in-memory
 * fixtures. The violations the tree still has are listed in scripts/feature-graph-pending.ts.
 */
import { dirname, posix } from 'node:path';
import type { Graph, Unit } from './feature-graph.ts';
import { readFacts, type SourceFacts } from './source-facts.ts';

export interface SourceFile {
  /** Relative to the repository root, with `/`. */
  path: string;
  source: string;
}

export interface GraphViolation {
  file: string;
  line: number;
  /** Stable words naming the violation (no line number), as listed in the pending file. */
  key: string;
  /** Why, and what to do instead. */
  detail: string;
}

/** Violations still in the tree, by file: each entry is the `key` of a violation (issue 11 removes them). */
export type Pending = Readonly<Record<string, readonly string[]>>;

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 100;

type Place =
  | { kind: 'unit'; unit: string; inner: string }
  | { kind: 'root' }
  | { kind: 'undeclared'; folder: string }
  | { kind: 'outside' };

export function isTestFile(path: string): boolean {
  return /\.test\.tsx?$/.test(path) || path.startsWith('apps/server/test/');
}

/** The graph's units including shared ones that declare nothing (the web's ui, api). */
function unitsOf(graph: Graph): Record<string, Unit> {
  const units: Record<string, Unit> = {};
  for (const name of graph.shared) units[name] = { uses: [] };
  return { ...units, ...graph.units };
}

/** Where a path (relative to the graph's root) lies; `undefined` when outside the graph's root. */
function placeOf(graph: Graph, path: string): Place | undefined {
  if (!path.startsWith(`${graph.root}/`)) return undefined;
  const inside = path.slice(graph.root.length + 1);
  const unit = Object.keys(unitsOf(graph))
    .filter((name) => inside === name || inside.startsWith(`${name}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (unit) return { kind: 'unit', unit, inner: inside.slice(unit.length + 1) };
  if (graph.roots.some((root) => inside === root || inside.startsWith(`${root}/`))) return { kind: 'root' };
  const folder = /^(?:features|platform)\/[^/]+(?=\/)/.exec(inside)?.[0];
  if (folder) return { kind: 'undeclared', folder };
  return { kind: 'outside' };
}

function isIndex(inner: string): boolean {
  return inner === '' || /^index\.tsx?$/.test(inner);
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return posix.normalize(posix.join(dirname(from), specifier));
}

export function checkFeatureGraph(graph: Graph, files: readonly SourceFile[]): GraphViolation[] {
  const violations: GraphViolation[] = [];
  const undeclared = new Set<string>();
  for (const file of files) {
    const place = placeOf(graph, file.path);
    if (!place) continue;
    if (place.kind === 'undeclared') undeclared.add(place.folder);
    const facts = readFacts(file.path, file.source);
    violations.push(...checkImports(graph, file.path, place, facts));
    violations.push(...checkTables(graph, file.path, place, facts));
    violations.push(...checkSizes(graph, file.path, facts));
  }
  for (const folder of undeclared) {
    violations.push({
      file: `${graph.root}/${folder}/`,
      line: 0,
      key: 'not a unit of the graph',
      detail: 'declare it in scripts/feature-graph.ts or move its files into a unit',
    });
  }
  return violations;
}

function checkImports(graph: Graph, path: string, from: Place, facts: SourceFacts): GraphViolation[] {
  const violations: GraphViolation[] = [];
  const isTest = isTestFile(path);
  for (const { specifier, line } of facts.imports) {
    const target = resolveImport(path, specifier);
    const to = target === undefined ? undefined : placeOf(graph, target);
    const add = (key: string, detail: string) => violations.push({ file: path, line, key, detail });
    if (to?.kind === 'root' && from.kind === 'unit' && !isTest) {
      add(`imports root ${relativeTo(graph, target!)}`, 'no unit imports a composition root');
    }
    if (to?.kind !== 'unit' || (from.kind === 'unit' && from.unit === to.unit)) continue;
    if (!isIndex(to.inner) && !isTest) {
      add(`internals of ${to.unit}: ${to.inner}`, `import ${to.unit}/index.ts instead`);
    }
    if (from.kind === 'unit') {
      const refusal = edgeRefusal(graph, from.unit, to.unit);
      if (refusal) add(`edge ${from.unit} -> ${to.unit}`, refusal);
    }
  }
  return violations;
}

function relativeTo(graph: Graph, path: string): string {
  return path.slice(graph.root.length + 1);
}

/** Why unit `from` may not import unit `to`, or undefined if it may. */
export function edgeRefusal(graph: Graph, from: string, to: string): string | undefined {
  const fromShared = graph.shared.includes(from);
  const toShared = graph.shared.includes(to);
  if (fromShared && !toShared) return `${from} is shared and must not depend on ${to}`;
  if (toShared && !fromShared) return undefined;
  if (unitsOf(graph)[from]?.uses.includes(to)) return undefined;
  return `not declared: add '${to}' to the uses of '${from}' in scripts/feature-graph.ts, or remove the import`;
}

function tableOwners(graph: Graph): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [unit, { owns = [] }] of Object.entries(graph.units))
    for (const table of owns) owners.set(table, unit);
  return owners;
}

function checkTables(graph: Graph, path: string, place: Place, facts: SourceFacts): GraphViolation[] {
  const owners = tableOwners(graph);
  if (owners.size === 0 || isTestFile(path) || (place.kind !== 'unit' && place.kind !== 'root')) return [];
  const violations: GraphViolation[] = [];
  for (const { table, line } of facts.tables) {
    const owner = owners.get(table);
    if (place.kind === 'unit' && owner === place.unit) continue;
    const detail =
      place.kind === 'root'
        ? `a root queries nothing: ask ${owner ?? 'the owning unit'}'s service`
        : owner
          ? `owned by ${owner}: ask its service`
          : 'owned by no unit: add it to the owns of one unit in scripts/feature-graph.ts';
    violations.push({ file: path, line, key: `table ${table}`, detail });
  }
  return violations;
}

function checkSizes(graph: Graph, path: string, facts: SourceFacts): GraphViolation[] {
  if (isTestFile(path) || !/^(?:features|platform)\//.test(relativeTo(graph, path))) return [];
  const violations: GraphViolation[] = [];
  if (facts.lines > MAX_FILE_LINES) {
    violations.push({
      file: path,
      line: 1,
      key: `file over ${MAX_FILE_LINES} lines`,
      detail: `${facts.lines} lines: split it by meaning`,
    });
  }
  for (const { name, line, lines } of facts.functions) {
    if (lines <= MAX_FUNCTION_LINES) continue;
    violations.push({
      file: path,
      line,
      key: `function ${name} over ${MAX_FUNCTION_LINES} lines`,
      detail: `${lines} lines: split it by meaning`,
    });
  }
  return violations;
}

/** The declared graph itself: known units only, shared units use only shared ones, no cycle, one owner per table. */
export function checkGraphShape(graph: Graph, graphFile: SourceFile): GraphViolation[] {
  const units = unitsOf(graph);
  const violations: GraphViolation[] = [];
  const add = (unit: string, key: string, detail: string) =>
    violations.push({ file: graphFile.path, line: lineOfUnit(graphFile.source, unit), key, detail });
  for (const [unit, { uses }] of Object.entries(units)) {
    for (const used of uses) {
      if (!(used in units)) add(unit, `unknown unit ${used}`, `'${unit}' uses a unit the graph lacks`);
      else if (edgeRefusal(graph, unit, used)?.includes('shared'))
        add(unit, `edge ${unit} -> ${used}`, 'a shared unit must not depend on a non-shared one');
    }
  }
  for (const cycle of findCycles(units)) {
    add(cycle[0]!, `cycle ${cycle.join(' -> ')}`, 'the feature graph must be acyclic');
  }
  const seen = new Map<string, string>();
  for (const [unit, { owns = [] }] of Object.entries(graph.units)) {
    for (const table of owns) {
      const first = seen.get(table);
      if (first) add(unit, `table ${table} owned twice`, `by ${first} and ${unit}`);
      else seen.set(table, unit);
    }
  }
  return violations;
}

function lineOfUnit(source: string, unit: string): number {
  const at = source.indexOf(`'${unit}':`);
  return at < 0 ? 1 : source.slice(0, at).split('\n').length;
}

/** Each cycle once, as a path that starts and ends at the same unit: `a -> b -> a`. */
export function findCycles(units: Readonly<Record<string, Unit>>): string[][] {
  const cycles = new Map<string, string[]>();
  const done = new Set<string>();
  const walk = (unit: string, path: string[]) => {
    const at = path.indexOf(unit);
    if (at >= 0) {
      const cycle = path.slice(at);
      cycles.set([...cycle].sort().join(), [...cycle, unit]);
      return;
    }
    if (done.has(unit)) return;
    for (const used of units[unit]?.uses ?? []) walk(used, [...path, unit]);
    done.add(unit);
  };
  for (const unit of Object.keys(units)) walk(unit, []);
  return [...cycles.values()];
}

export interface PendingComparison {
  /** Violations the pending list does not name: they fail the check. */
  unexpected: GraphViolation[];
  /** Pending entries that no longer occur: they fail too, so the list only shrinks. */
  stale: { file: string; key: string }[];
  /** How many pending entries still occur. */
  left: number;
}

export function comparePending(violations: readonly GraphViolation[], pending: Pending): PendingComparison {
  const occurring = new Set(violations.map((v) => `${v.file}\n${v.key}`));
  const unexpected = violations.filter((v) => !pending[v.file]?.includes(v.key));
  const stale: { file: string; key: string }[] = [];
  let left = 0;
  for (const [file, keys] of Object.entries(pending)) {
    for (const key of keys) {
      if (occurring.has(`${file}\n${key}`)) left++;
      else stale.push({ file, key });
    }
  }
  return { unexpected, stale, left };
}

/** The lines `npm run check` prints: each failure naming its file and line, then a summary. */
export function describeComparison({ unexpected, stale, left }: PendingComparison): {
  errors: string[];
  summary: string;
} {
  const errors = [
    ...unexpected.map((v) => `${v.file}${v.line > 0 ? `:${v.line}` : ''}: ${v.key} (${v.detail})`),
    ...stale.map(
      (s) => `${s.file}: '${s.key}' no longer occurs: delete it from scripts/feature-graph-pending.ts`,
    ),
  ];
  const summary =
    errors.length > 0
      ? `Feature graph: ${unexpected.length} violation(s), ${stale.length} stale pending entries.`
      : `Feature graph: ok (${left} pending violations left for issue 11)`;
  return { errors, summary };
}

/** The pending list for today's violations, as the source of scripts/feature-graph-pending.ts. */
export function pendingSource(violations: readonly GraphViolation[]): string {
  const byFile = new Map<string, Set<string>>();
  for (const v of violations) byFile.set(v.file, (byFile.get(v.file) ?? new Set()).add(v.key));
  const entries = [...byFile.keys()].sort().map((file) => {
    const keys = [...byFile.get(file)!].sort().map((key) => `'${key}'`);
    const oneLine = `  '${file}': [${keys.join(', ')}],`;
    if (oneLine.length <= 110) return oneLine;
    return `  '${file}': [\n${keys.map((key) => `    ${key},`).join('\n')}\n  ],`;
  });
  return `${PENDING_HEADER}export const pending: Pending = {\n${entries.join('\n')}\n};\n`;
}

const PENDING_HEADER = `/**
 * Feature-graph violations the tree still has, by file (see scripts/check-feature-graph.ts).
 * Issue 11 removes them: \`npm run check\` fails on a violation not listed here and on an entry here
 * that no longer occurs, so this list can only shrink. Delete an entry when you fix it; do not
 * add one. \`node scripts/check-boundaries.ts --print-pending\` prints the list as the tree has it.
 */
import type { Pending } from './check-feature-graph.ts';

`;
