/** `npm run docs:config`: rewrites the configuration table in README.md from the config schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable } from '../apps/server/src/config.ts';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const start = '<!-- config-table:start -->';
const end = '<!-- config-table:end -->';
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) {
  console.error('README.md has no config-table markers');
  process.exit(1);
}
writeFileSync(path, `${readme.slice(0, from + start.length)}\n${renderConfigTable()}\n${readme.slice(to)}`);
console.log('README.md configuration table updated.');
