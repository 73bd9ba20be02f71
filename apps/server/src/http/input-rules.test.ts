import { MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN } from '@zegel/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';

/**
 * One rule for all input, checked on the OpenAPI document so a new field cannot forget it:
 * every request string refuses control characters (PostgreSQL cannot store NUL; the rest has no
 * business in names and filters), and every request number has bounds the database can hold.
 */
type Schema = Record<string, unknown>;

/**
 * Fields a service checks in full instead: a guest's address and phone number, so that a send
 * names every recipient's problem at once (422 `recipients_incomplete`, send-validation.test.ts).
 */
const CHECKED_BY_SERVICE = new Set([
  'POST /api/messages body/recipients/items/anyOf[2]/address',
  'POST /api/messages body/recipients/items/anyOf[2]/phone',
]);

let t: TestApp;
let document: { paths: Record<string, Record<string, Schema>> };
beforeAll(async () => {
  t = await createTestApp();
  document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
});
afterAll(async () => {
  await t.close();
});

/** Every request schema: parameters (path, query, header) and JSON bodies, with where it is. */
function requestSchemas(): [string, Schema][] {
  const found: [string, Schema][] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const parameter of (operation.parameters ?? []) as Schema[])
        found.push([`${where} ${parameter.in}:${parameter.name}`, parameter.schema as Schema]);
      const body = (operation.requestBody as Schema | undefined)?.content as
        | Record<string, Schema>
        | undefined;
      for (const content of Object.values(body ?? {}))
        found.push([`${where} body`, content.schema as Schema]);
    }
  }
  return found;
}

/** Visits every sub-schema with a JSON-pointer-like location. */
function walk(schema: Schema, at: string, visit: (schema: Schema, at: string) => void): void {
  visit(schema, at);
  for (const [key, value] of Object.entries(schema)) {
    if (['properties', 'patternProperties'].includes(key) && value && typeof value === 'object') {
      for (const [name, sub] of Object.entries(value as Record<string, Schema>))
        walk(sub, `${at}/${name}`, visit);
    } else if (['items', 'additionalProperties', 'not'].includes(key) && value && typeof value === 'object') {
      walk(value as Schema, `${at}/${key}`, visit);
    } else if (['anyOf', 'oneOf', 'allOf'].includes(key) && Array.isArray(value)) {
      for (const [i, sub] of (value as Schema[]).entries()) walk(sub, `${at}/${key}[${i}]`, visit);
    }
  }
}

const typesOf = (schema: Schema) => [schema.type].flat();
const CONTROL_CHARACTERS = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat('\u007f');

/** A pattern refuses a control character if no probe string built around it matches. */
function refusesControlCharacters(schema: Schema): boolean {
  if (schema.enum || schema.const !== undefined) return true;
  if (['uuid', 'email', 'date-time'].includes(schema.format as string)) return true;
  if (typeof schema.pattern !== 'string') return false;
  const pattern = new RegExp(schema.pattern, 'u');
  const multiLine = new Set(['\t', '\n', '\r']);
  return (
    allowsOnlyListedCharacters(schema.pattern) &&
    CONTROL_CHARACTERS.filter((c) => !multiLine.has(c)).every((c) => !pattern.test(`a${c}b`))
  );
}

/**
 * The rule's own patterns, or a pattern built from listed characters only: no `.`, no `\s`-like
 * classes and no negated class unless it names the control characters (look-aheads are ignored).
 */
function allowsOnlyListedCharacters(pattern: string): boolean {
  if (pattern === SINGLE_LINE_PATTERN || pattern === MULTI_LINE_PATTERN) return true;
  const withoutLookaheads = pattern.replace(/\(\?[!=][^)]*\)/g, '');
  const negatedClasses = withoutLookaheads.match(/\[\^[^\]]*\]/g) ?? [];
  if (negatedClasses.some((c) => !c.includes('\\u0000-\\u001f'))) return false;
  const outsideClasses = withoutLookaheads.replace(/\[\^[^\]]*\]/g, '');
  return !/(?<!\\)\.|\\[sSWDP]/.test(outsideClasses);
}

describe('the input rules of every request field', () => {
  it('lets no request string carry control characters', () => {
    const offenders: string[] = [];
    for (const [where, schema] of requestSchemas()) {
      walk(schema, where, (sub, at) => {
        if (typesOf(sub).includes('string') && !refusesControlCharacters(sub) && !CHECKED_BY_SERVICE.has(at))
          offenders.push(at);
        if (typesOf(sub).includes('object') && sub.patternProperties) {
          for (const key of Object.keys(sub.patternProperties as object))
            if (!refusesControlCharacters({ pattern: key })) offenders.push(`${at} (keys)`);
          if (sub.additionalProperties !== false) offenders.push(`${at} (other keys)`);
        }
      });
    }
    expect(offenders).toEqual([]);
  });

  it('bounds every request number within what JSON and the database hold', () => {
    const offenders: string[] = [];
    for (const [where, schema] of requestSchemas()) {
      walk(schema, where, (sub, at) => {
        if (!typesOf(sub).some((type) => type === 'integer' || type === 'number')) return;
        const bounded =
          typeof sub.minimum === 'number' &&
          typeof sub.maximum === 'number' &&
          sub.minimum >= -Number.MAX_SAFE_INTEGER &&
          sub.maximum <= Number.MAX_SAFE_INTEGER;
        if (!bounded) offenders.push(at);
      });
    }
    expect(offenders).toEqual([]);
  });
});
