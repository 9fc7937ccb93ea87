// Writes docs/schemas/<Message>.json for every wire message (npm run schemas).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonSchemaOf, messages, type MessageName } from '../src/index.js';

const outDir = fileURLToPath(new URL('../../../docs/schemas/', import.meta.url));
mkdirSync(outDir, { recursive: true });
for (const name of Object.keys(messages) as MessageName[]) {
  writeFileSync(`${outDir}${name}.json`, JSON.stringify(jsonSchemaOf(name), null, 2) + '\n');
}
console.log(`wrote ${Object.keys(messages).length} schemas to docs/schemas/`);
