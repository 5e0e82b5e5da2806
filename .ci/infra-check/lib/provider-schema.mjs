// The AWS provider's schema, read from @cdktf/provider-aws (pinned in package.json). That package is
// generated from the `hashicorp/aws` provider schema, one folder per resource or data source; it does not
// ship the schema as JSON, so this reads the generated code: each type's `synthesizeHclAttributes()` lists
// its arguments and blocks, its `*Config` interface says which are required, and its getters name the
// attributes AWS computes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@cdktf', 'provider-aws', 'lib');

/** The provider version the package was generated from, e.g. "6.25.0". */
export function providerVersion() {
  const js = fs.readFileSync(path.join(LIB, 'provider', 'index.js'), 'utf8');
  return /providerVersion: '([^']+)'/.exec(js)?.[1] ?? 'unknown';
}

/** Every type name of one kind ("resource" or "data"), from the package's folder names. */
export function typeNames(kind) {
  return fs.readdirSync(LIB)
    .filter((d) => (kind === 'data') === d.startsWith('data-aws-'))
    .map((d) => (kind === 'data' ? d.slice('data-'.length) : `aws-${d}`).replaceAll('-', '_'));
}

const cache = new Map();

/**
 * The schema of one type, or null when the provider has no such type:
 * { args: Map<name, {block, storage, required, schema?}>, computed: Map<name, kind> }.
 */
export function schemaOf(kind, type) {
  const key = `${kind}.${type}`;
  if (!cache.has(key)) cache.set(key, load(kind, type));
  return cache.get(key);
}

function load(kind, type) {
  const folder = path.join(LIB, (kind === 'data' ? 'data-' : '') + type.replace(/^aws_/, kind === 'data' ? 'aws_' : '').replaceAll('_', '-'));
  if (!fs.existsSync(path.join(folder, 'index.js'))) return null;
  const js = fs.readFileSync(path.join(folder, 'index.js'), 'utf8');
  const dts = fs.readFileSync(path.join(folder, 'index.d.ts'), 'utf8');
  const base = kind === 'data' ? 'TerraformDataSource' : 'TerraformResource';
  const cls = new RegExp(`^class (\\w+) extends cdktf\\.${base} \\{`, 'm').exec(js);
  if (!cls || !js.includes(`terraformResourceType: '${type}'`)) return null;
  const body = js.slice(cls.index, js.indexOf('\n}\n', cls.index));

  const schema = structure(js, dts, body.slice(body.indexOf('synthesizeHclAttributes()')), `${cls[1]}Config`);
  // Attributes AWS computes: the getters with no setter beside them.
  schema.computed = new Map();
  // Each match stays within one comment's member: a block's comment in the constructor (tags_all) must not
  // run on into the next attribute's getter and hide it (aws_lambda_capacity_provider's arn).
  for (const m of body.matchAll(/\/\/ (\w+) - computed: true, optional: false(?:(?!\/\/ \w+ - computed)[\s\S])*?get \w+\(\) \{\s*return this\.get(\w+)Attribute\('(\w+)'\)/g)) {
    if (m[1] === m[3]) schema.computed.set(m[1], m[2]);
  }
  for (const m of body.matchAll(/\/\/ (\w+) - computed: true, optional: false, required: false\n\s+get \w+\(\) \{\s*return this\._\w+;/g)) {
    schema.computed.set(m[1], 'Block');
  }
  return schema;
}

// Arguments and blocks from one `const attrs = { … }` of the generated code.
function structure(js, dts, from, interfaceName) {
  const start = from.indexOf('const attrs = {');
  const attrs = from.slice(start, matchingBrace(from, from.indexOf('{', start)));
  const required = requiredFields(dts, interfaceName);
  const args = new Map();
  const entry = /\n\s{8,16}(\w+): \{\s*value: ([\s\S]*?),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",\s*\}/g;
  for (const [, name, value, isBlock, , storage] of attrs.matchAll(entry)) {
    const camel = /(?:this\._|struct\.)(\w+)/.exec(value)?.[1];
    const arg = { block: isBlock === 'true', storage, required: required.has(camel) };
    const nested = /(?<!cdktf\.)\b([a-z]\w*)ToHclTerraform\b/.exec(value)?.[1];
    if (arg.block && nested) {
      const fn = js.indexOf(`function ${nested}ToHclTerraform(struct) {`);
      if (fn >= 0) arg.schema = structure(js, dts, js.slice(fn), nested[0].toUpperCase() + nested.slice(1));
    }
    args.set(name, arg);
  }
  return { args };
}

function requiredFields(dts, interfaceName) {
  const at = dts.indexOf(`export interface ${interfaceName} `);
  if (at < 0) return new Set();
  const body = dts.slice(at, dts.indexOf('\n}', at));
  return new Set([...body.matchAll(/readonly (\w+):/g)].map((m) => m[1]));
}

function matchingBrace(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}
