// Checks infra/ against the AWS provider's schema (hashicorp/aws as @cdktf/provider-aws carries it, see
// lib/provider-schema.mjs): every resource and data source type, argument, nested block and attribute the
// module reads exists; blocks are written as blocks and arguments as arguments; literals have the
// argument's type; required arguments are set; no deprecated attribute is read; the provider constraint
// admits the schema's version and no older major. A near miss gets a "did you mean".
//
//   node schema.mjs [module folder, default ../../infra]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { META_ARGUMENTS, blockHeader, blocksOf, eachString, lineOf, moduleFolders, readModule, referencesIn } from './lib/module.mjs';
import { providerVersion, schemaOf, typeNames } from './lib/provider-schema.mjs';

// Attributes the provider deprecates, which the generated package does not mark. From the provider's
// version 6 upgrade guide (registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade).
const DEPRECATED = {
  'data.aws_region.name': 'deprecated since provider 6.0; read `region`',
  'data.aws_region.endpoint': 'deprecated since provider 6.0',
};

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(process.argv[2] ?? '../../infra');
  const problems = await checkSchema(root);
  const version = providerVersion();
  for (const p of problems) console.log(`  - ${p}`);
  console.log(problems.length
    ? `schema check: ${problems.length} problem(s) against hashicorp/aws ${version}`
    : `schema check: every type, argument, block and attribute read exists in hashicorp/aws ${version}`);
  process.exitCode = problems.length ? 1 : 0;
}

/** Every problem in the module tree under `root`, as "file:line: message". */
export async function checkSchema(root) {
  const problems = [];
  for (const dir of moduleFolders(root)) {
    const module = await readModule(dir);
    const text = Object.fromEntries(module.map((m) => [m.file, m.text]));
    const at = (file, header, attributePath) => `${path.relative(process.cwd(), path.join(dir, file))}:${lineOf(text[file], header, attributePath)}`;
    const blocks = blocksOf(module).filter((b) => b.type.startsWith('aws_'));

    for (const b of blocks) {
      const header = blockHeader(b.kind, b.type, b.name);
      const schema = schemaOf(b.kind, b.type);
      const what = `${b.kind === 'data' ? 'data source' : 'resource'} type "${b.type}"`;
      if (!schema) {
        problems.push(`${at(b.file, header)}: ${what} does not exist in the AWS provider${didYouMean(b.type, typeNames(b.kind))}`);
        continue;
      }
      checkBody(b.body, schema, `${b.type}.${b.name}`, (attributePath, message) => problems.push(`${at(b.file, header, attributePath)}: ${message}`));
    }

    // Attributes read from resources and data sources.
    const byAddress = new Map(blocks.map((b) => [`${b.kind === 'data' ? 'data.' : ''}${b.type}.${b.name}`, b]));
    for (const { file, json, text: source } of module) {
      const seen = new Map();
      eachString(json, (value) => {
        for (const ref of referencesIn(value)) {
          const m = /^((?:data\.)?aws_\w+\.[A-Za-z_][\w-]*)(?:\[(?:[^\[\]]|\[[^\]]*\])*\])?\.([A-Za-z_][\w-]*)/.exec(ref.source);
          const block = m && byAddress.get(m[1]);
          const schema = block && schemaOf(block.kind, block.type);
          if (!schema) continue;
          const attr = m[2];
          const line = lineOfText(source, ref.source, seen) ?? 1;
          const place = `${path.relative(process.cwd(), path.join(dir, file))}:${line}`;
          if (!schema.args.has(attr) && !schema.computed.has(attr)) {
            problems.push(`${place}: ${m[1]} has no attribute "${attr}"${didYouMean(attr, [...schema.args.keys(), ...schema.computed.keys()])}`);
          }
          const deprecated = DEPRECATED[`${block.kind === 'data' ? 'data.' : ''}${block.type}.${attr}`];
          if (deprecated) problems.push(`${place}: ${m[1]}.${attr} is ${deprecated}`);
        }
      });
    }

    // The provider constraint: the schema's version, and no major older than the one checked here.
    for (const { file, json } of module) {
      for (const t of json.terraform ?? []) {
        const aws = t.required_providers?.[0]?.aws;
        if (!aws?.version) continue;
        const version = providerVersion();
        const major = Number(version.split('.')[0]);
        if (!admits(aws.version, version)) problems.push(`${path.join(path.relative(process.cwd(), dir), file)}: the aws provider constraint "${aws.version}" does not admit ${version}, the schema this module is checked against`);
        if (admits(aws.version, `${major - 1}.999.999`)) problems.push(`${path.join(path.relative(process.cwd(), dir), file)}: the aws provider constraint "${aws.version}" admits provider ${major - 1}.x, whose schema this module is not checked against (require >= ${major}.0)`);
      }
    }
  }
  return problems;
}

function checkBody(body, schema, where, report, attributePath = []) {
  for (const [key, value] of Object.entries(body)) {
    if (META_ARGUMENTS.has(key) && attributePath.length === 0) continue;
    if (key === 'dynamic') {
      for (const [name, dynamics] of Object.entries(value)) {
        const arg = schema.args.get(name);
        if (!arg?.block) {
          report([...attributePath, name], `${where}: dynamic "${name}": no such block${didYouMean(name, blockNames(schema))}`);
          continue;
        }
        for (const d of dynamics) for (const content of d.content ?? []) if (arg.schema) checkBody(content, arg.schema, `${where}.${name}`, report, [...attributePath, name]);
      }
      continue;
    }
    const arg = schema.args.get(key);
    const here = [...attributePath, key];
    if (!arg) {
      report(here, `${where}: unsupported argument "${key}"${didYouMean(key, [...schema.args.keys()])}`);
      continue;
    }
    const blockLike = Array.isArray(value) && value.length > 0 && value.every((v) => v && typeof v === 'object' && !Array.isArray(v));
    if (arg.block) {
      if (!blockLike) report(here, `${where}: "${key}" is a block: write ${key} { ... }, not ${key} = ...`);
      else if (arg.schema) value.forEach((v) => checkBody(v, arg.schema, `${where}.${key}`, report, here));
      continue;
    }
    if (blockLike && !/List$/.test(arg.storage)) {
      report(here, `${where}: "${key}" is an argument: write ${key} = ..., not ${key} { ... }`);
      continue;
    }
    const wrong = wrongType(value, arg.storage);
    if (wrong) report(here, `${where}: "${key}" takes ${wrong}`);
  }
  for (const [name, arg] of schema.args) {
    if (arg.required && !(name in body) && !(name in (body.dynamic ?? {}))) report(attributePath, `${where}: required argument "${name}" is not set`);
  }
}

const blockNames = (schema) => [...schema.args].filter(([, a]) => a.block).map(([n]) => n);

// A literal that cannot convert to the argument's type; expressions are Terraform's to check.
function wrongType(value, storage) {
  const expr = (v) => typeof v === 'string' && v.includes('${');
  if (expr(value) || value === null) return null;
  switch (storage) {
    case 'number': return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) ? null : `a number, not ${JSON.stringify(value)}`;
    case 'boolean': return typeof value === 'boolean' || value === 'true' || value === 'false' ? null : `true or false, not ${JSON.stringify(value)}`;
    case 'string': return typeof value === 'object' ? `a string, not ${Array.isArray(value) ? 'a list' : 'an object'}` : null;
    case 'stringList': case 'numberList': return Array.isArray(value) ? null : `a list, not ${JSON.stringify(value)}`;
    case 'stringMap': case 'numberMap': case 'booleanMap': return typeof value === 'object' && !Array.isArray(value) ? null : `a map, not ${JSON.stringify(value)}`;
    default: return null;
  }
}

function didYouMean(name, candidates) {
  let best = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

// Does a Terraform version constraint ("a, b", each "op version") admit a version?
export function admits(constraint, version) {
  const v = version.split('.').map(Number);
  const cmp = (a, b) => { for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0); return 0; };
  return constraint.split(',').map((c) => c.trim()).filter(Boolean).every((c) => {
    const [, op = '=', ver] = /^(>=|<=|!=|~>|>|<|=)?\s*([\d.]+)$/.exec(c) ?? [];
    if (!ver) return true;
    const w = ver.split('.').map(Number);
    const d = cmp(v, w);
    switch (op) {
      case '>=': return d >= 0;
      case '<=': return d <= 0;
      case '>': return d > 0;
      case '<': return d < 0;
      case '!=': return d !== 0;
      case '~>': { const upper = w.length > 1 ? [...w.slice(0, -2), w[w.length - 2] + 1] : [w[0] + 1]; return d >= 0 && cmp(v, upper) < 0; }
      default: return d === 0;
    }
  });
}

// The line of a needle's next occurrence in a file (each reference is found in the order it is written).
function lineOfText(text, needle, seen) {
  const at = text.indexOf(needle, seen.get(needle) ?? 0);
  if (at < 0) return null;
  seen.set(needle, at + needle.length);
  return text.slice(0, at).split('\n').length;
}
