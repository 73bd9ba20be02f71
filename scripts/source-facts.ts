/**
 * What the feature-graph check needs to know about one source file, read from its syntax tree
 * (Oxc's parser, as shipped in rolldown, the bundler Vite uses; TypeScript 7 has no JS API):
 * the modules it imports, the database tables it names in queries, and how long each function is.
 * A parser instead of regular expressions, so that strings, template literals, regexes, comments
 * and JSX text can never be mistaken for code.
 */
import { parseAst } from 'rolldown/parseAst';

export interface Located {
  /** 1-based line of the occurrence. */
  line: number;
}
export interface ImportFact extends Located {
  specifier: string;
}
export interface TableFact extends Located {
  table: string;
}
export interface FunctionFact extends Located {
  name: string;
  /** Lines from the function's first to its last, both included. */
  lines: number;
}
export interface SourceFacts {
  lines: number;
  imports: ImportFact[];
  tables: TableFact[];
  functions: FunctionFact[];
}

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes are walked generically.
type Node = any;

/** Kysely builder methods whose first argument names a table (`'users as u'`, or an array of them). */
const TABLE_METHODS = new Set([
  'selectFrom',
  'insertInto',
  'updateTable',
  'deleteFrom',
  'replaceInto',
  'mergeInto',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
]);
/** Kysely methods that name a common table expression, which is no table. */
const CTE_METHODS = new Set(['with', 'withRecursive', 'withMaterialized', 'withNotMaterialized']);
/**
 * In `sql` templates: FROM / JOIN / INTO / UPDATE followed by a name (not the UPDATE of `FOR UPDATE`,
 * `FOR NO KEY UPDATE` or `DO UPDATE SET`); a name followed by `(` after FROM or JOIN is a function.
 */
const SQL_TABLE =
  /\b(from|join|into|(?<!\b(?:for|key|do)\s+)update)\s+(?:only\s+)?(?:"?\w+"?\.)?"?([a-z_][a-z0-9_]*)\b"?(\s*\()?/gi;
const SQL_CTE = /\b([a-z_][a-z0-9_]*)\s+as\s+(?:not\s+)?(?:materialized\s+)?\(/gi;
const SQL_NOT_TABLES = new Set(['set', 'lateral', 'select', 'values']);

export function readFacts(path: string, source: string): SourceFacts {
  const program = parse(path, source);
  const lineAt = lineFinder(source);
  const facts: SourceFacts = { lines: countLines(source), imports: [], tables: [], functions: [] };
  const ctes = new Set<string>();
  visit(program, null, (node, parent) => {
    collectImport(node, facts, lineAt);
    collectTables(node, facts, ctes, lineAt);
    collectFunction(node, parent, facts, lineAt);
  });
  facts.tables = facts.tables.filter((t) => !ctes.has(t.table));
  return facts;
}

function parse(path: string, source: string): Node {
  try {
    return parseAst(source, { lang: path.endsWith('.tsx') ? 'tsx' : 'ts', astType: 'ts' }, path);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

export function countLines(source: string): number {
  return source.endsWith('\n') ? source.split('\n').length - 1 : source.split('\n').length;
}

function lineFinder(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

function visit(node: Node, parent: Node, onNode: (node: Node, parent: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, parent, onNode);
    return;
  }
  if (node === null || typeof node !== 'object' || typeof node.type !== 'string') return;
  onNode(node, parent);
  for (const key of Object.keys(node)) {
    const child = node[key];
    if (child !== null && typeof child === 'object') visit(child, node, onNode);
  }
}

const IMPORTING = new Set([
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportAllDeclaration',
  'ImportExpression',
  'TSImportType',
]);

function collectImport(node: Node, facts: SourceFacts, lineAt: (offset: number) => number): void {
  if (!IMPORTING.has(node.type)) return;
  const specifier = node.source?.value;
  if (typeof specifier === 'string') facts.imports.push({ specifier, line: lineAt(node.start) });
}

function collectTables(
  node: Node,
  facts: SourceFacts,
  ctes: Set<string>,
  lineAt: (offset: number) => number,
): void {
  if (node.type === 'CallExpression' && node.callee?.type === 'MemberExpression') {
    const method = node.callee.property?.name;
    const isSqlTable = method === 'table' && node.callee.object?.name === 'sql';
    if (TABLE_METHODS.has(method) || isSqlTable) {
      for (const table of tableArguments(node.arguments[0]))
        facts.tables.push({ table, line: lineAt(node.start) });
    }
    if (CTE_METHODS.has(method)) for (const name of tableArguments(node.arguments[0])) ctes.add(name);
  }
  if (
    node.type === 'TaggedTemplateExpression' &&
    node.tag?.type === 'Identifier' &&
    node.tag.name === 'sql'
  ) {
    const text = node.quasi.quasis.map((q: Node) => q.value.cooked ?? q.value.raw).join(' $1 ');
    for (const match of text.matchAll(SQL_CTE)) ctes.add(match[1]!.toLowerCase());
    for (const [, keyword, name, call] of text.matchAll(SQL_TABLE)) {
      const table = name!.toLowerCase();
      const isFunction = call !== undefined && /^(from|join)$/i.test(keyword!);
      if (!isFunction && !SQL_NOT_TABLES.has(table)) facts.tables.push({ table, line: lineAt(node.start) });
    }
  }
}

/** `'users'`, `'users as u'`, `['users as u', 'teams']` → the table names; anything else → none. */
function tableArguments(argument: Node): string[] {
  if (argument?.type === 'Literal' && typeof argument.value === 'string') return [stripAlias(argument.value)];
  if (argument?.type === 'ArrayExpression') return argument.elements.flatMap(tableArguments);
  return [];
}

function stripAlias(reference: string): string {
  return reference
    .trim()
    .split(/\s+as\s+/i)[0]!
    .trim();
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

function collectFunction(
  node: Node,
  parent: Node,
  facts: SourceFacts,
  lineAt: (offset: number) => number,
): void {
  if (!FUNCTIONS.has(node.type) || node.body === null || node.body === undefined) return;
  const line = lineAt(node.start);
  facts.functions.push({ name: functionName(node, parent), line, lines: lineAt(node.end) - line + 1 });
}

/** The name a reader would use: declared, assigned to, or the property or method it is. */
function functionName(node: Node, parent: Node): string {
  if (node.id?.name) return node.id.name;
  if (parent?.type === 'VariableDeclarator' && parent.id?.name) return parent.id.name;
  if (['Property', 'MethodDefinition', 'PropertyDefinition'].includes(parent?.type))
    return parent.key?.name ?? parent.key?.value ?? 'anonymous';
  return 'anonymous';
}
