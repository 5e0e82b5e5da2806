// A provider-free copy of a module tree, for `terraform plan` and `terraform test` where no provider can be
// downloaded. Every `aws_*` resource and data source becomes a `terraform_data` stand-in with the same
// count, for_each and depends_on; its `input` holds its arguments and nested blocks (dynamic blocks as
// `for` expressions), plus each attribute the module reads that the configuration does not set: unknown
// until apply for a resource (as AWS computes `arn`, `id`, `url`, `version`), a fixed value for the few
// data sources whose answer does not depend on the account (region, partition, caller). References are
// rewritten to read from the stand-ins. Terraform then evaluates everything else for real: variables and
// their validations, locals, for_each and count, sensitivity, types, checks, outputs, functions such as
// filebase64sha256.
import fs from 'node:fs';
import path from 'node:path';
import { META_ARGUMENTS, blockHeader, lineOf, moduleFolders, readModule, referencesIn } from './module.mjs';
import { schemaOf } from './provider-schema.mjs';

// What a data source answers in the stand-in, where that does not depend on anything but the provider's
// configuration; every other data source attribute is unknown, as it is when a read waits for apply.
const KNOWN_DATA = {
  aws_region: { region: 'eu-west-1', name: 'eu-west-1', id: 'eu-west-1', endpoint: 'ec2.eu-west-1.amazonaws.com', description: 'Europe (Ireland)' },
  aws_partition: { partition: 'aws', id: 'aws', dns_suffix: 'amazonaws.com', reverse_dns_prefix: 'com.amazonaws' },
  aws_caller_identity: { account_id: '123456789012', id: '123456789012', arn: 'arn:aws:iam::123456789012:user/plan', user_id: 'AIDAPLANSTANDIN' },
};
const UNKNOWN = 'terraform_data.known_after_apply.output';
const UNKNOWN_OF = { String: 'string', Number: 'number', Boolean: 'bool', List: 'list', StringMap: 'map', NumberList: 'list', Block: 'blocks' };

const isAws = (type) => type.startsWith('aws_');
export const standInName = (kind, type, name) => `${kind === 'data' ? 'data__' : ''}${type}__${name}`;

/**
 * Writes the stand-in copy of `srcRoot` (every module folder under it) into `outRoot`. Returns a function
 * that maps a place in the copy (file relative to outRoot, line) to the place in the source it came from.
 */
export async function writeStandIn(srcRoot, outRoot) {
  const origins = new Map();
  for (const dir of moduleFolders(srcRoot)) {
    const rel = path.relative(srcRoot, dir);
    fs.mkdirSync(path.join(outRoot, rel), { recursive: true });
    const module = await readModule(dir);
    const blocks = new Map();
    for (const { file, json } of module) {
      for (const kind of ['resource', 'data']) {
        for (const [type, byName] of Object.entries(json[kind] ?? {})) {
          for (const [name, [body]] of Object.entries(byName)) {
            if (!isAws(type)) continue;
            const mode = body.count !== undefined ? 'count' : body.for_each !== undefined ? 'for_each' : 'single';
            blocks.set(`${kind === 'data' ? 'data.' : ''}${type}.${name}`, { kind, type, name, file, mode, read: new Set() });
          }
        }
      }
    }
    const rewriter = new Rewriter(blocks);
    const converted = [];
    for (const entry of module) converted.push({ entry, json: convertFile(entry, rewriter) });
    for (const { entry, json } of converted) {
      // Attributes read but not configured: unknown until apply, or what a data source answers.
      for (const [type, byName] of Object.entries(json.resource?.terraform_data ?? {})) {
        const block = [...blocks.values()].find((b) => standInName(b.kind, b.type, b.name) === type);
        if (block) addReadAttributes(byName, block);
      }
      const out = entry.file.endsWith('.tftest.hcl') ? entry.file.replace(/\.hcl$/, '.json') : `${entry.file}.json`;
      const outFile = path.join(rel, out);
      const { text, lines } = serialize(json);
      fs.writeFileSync(path.join(outRoot, outFile), text);
      origins.set(outFile, lines.map((p) => ({ file: path.join(rel, entry.file), line: sourceLine(entry, p, blocks) })));
    }
    if (blocks.size) {
      fs.writeFileSync(path.join(outRoot, rel, 'known_after_apply.tf.json'), JSON.stringify({
        resource: { terraform_data: { known_after_apply: { input: {
          string: '', number: 0, bool: false, list: '${tolist([""])}', map: '${tomap({ k = "" })}', blocks: '${tolist([{}])}',
        } } } },
      }, null, 2));
    }
    for (const f of fs.readdirSync(dir)) {
      if (f.endsWith('.tfvars') || f.endsWith('.tfvars.json')) fs.copyFileSync(path.join(dir, f), path.join(outRoot, rel, f));
    }
    if (fs.existsSync(path.join(dir, 'tests'))) {
      const tests = await readModule(path.join(dir, 'tests'));
      fs.mkdirSync(path.join(outRoot, rel, 'tests'), { recursive: true });
      for (const entry of tests) {
        const json = convertFile(entry, rewriter);
        const outFile = path.join(rel, 'tests', entry.file.replace(/\.hcl$/, '.json'));
        const { text, lines } = serialize(json);
        fs.writeFileSync(path.join(outRoot, outFile), text);
        origins.set(outFile, lines.map((p) => ({ file: path.join(rel, 'tests', entry.file), line: sourceLine(entry, p, blocks) })));
      }
    }
  }
  return (file, line) => origins.get(path.normalize(file))?.[line - 1] ?? null;
}

// --- Converting one file --------------------------------------------------------------------------------

function convertFile({ json }, rewriter) {
  const out = {};
  for (const [kind, value] of Object.entries(json)) {
    if (kind === 'resource' || kind === 'data') {
      for (const [type, byName] of Object.entries(value)) {
        for (const [name, [body]] of Object.entries(byName)) {
          const [outType, outName, outBody] = isAws(type)
            ? ['terraform_data', standInName(kind, type, name), standInBody(body, rewriter)]
            : [type, name, rewriter.value(body)];
          const section = isAws(type) ? 'resource' : kind;
          ((out[section] ??= {})[outType] ??= {})[outName] = outBody;
        }
      }
    } else if (kind === 'provider' || kind === 'mock_provider' || kind === 'override_resource' || kind === 'override_data') {
      const kept = Object.fromEntries(Object.entries(value).filter(([p]) => kind === 'provider' && p !== 'aws'));
      if (Object.keys(kept).length) out[kind] = kept;
    } else if (kind === 'terraform') {
      out.terraform = value.map(({ required_providers: providers, ...rest }) => {
        const others = (providers ?? []).map((p) => Object.fromEntries(Object.entries(p).filter(([n]) => n !== 'aws')));
        return others.some((p) => Object.keys(p).length) ? { ...rest, required_providers: others } : rest;
      });
    } else if (kind === 'variable') {
      out.variable = {};
      for (const [name, [body]] of Object.entries(value)) {
        const { type, ...rest } = rewriter.value(body);
        out.variable[name] = type === undefined ? rest : { type: type.replace(/^\$\{([\s\S]*)\}$/, '$1'), ...rest };
      }
    } else if (kind === 'module') {
      out.module = {};
      for (const [name, [body]] of Object.entries(value)) {
        const { providers, ...rest } = rewriter.value(body);
        out.module[name] = rest;
      }
    } else if (kind === 'run') {
      out.run = {};
      for (const [name, [body]] of Object.entries(value)) {
        const { providers, ...rest } = rewriter.value(body);
        // A resource's precondition is expected to fail: the stand-in's, which carries it.
        if (rest.expect_failures) rest.expect_failures = body.expect_failures.map((d) => rewriter.dependency(d));
        if (rest.command) rest.command = bareReference(rest.command);
        out.run[name] = rest;
      }
    } else {
      out[kind] = rewriter.value(value);
    }
  }
  return out;
}

function standInBody(body, rewriter) {
  const out = {};
  const input = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'count' || key === 'for_each') out[key] = rewriter.value(value);
    else if (key === 'depends_on') out.depends_on = value.map((d) => rewriter.dependency(d));
    else if (key === 'lifecycle') {
      const kept = value.map(({ ignore_changes: _i, replace_triggered_by: _r, create_before_destroy: _c, ...rest }) => rest);
      if (kept.some((l) => Object.keys(l).length)) out.lifecycle = rewriter.value(kept);
    } else if (META_ARGUMENTS.has(key)) continue;
    else if (key === 'dynamic') continue;
    else input[key] = rewriter.value(value);
  }
  // Dynamic blocks: the blocks written out beside them, then one block per element of their for_each.
  for (const [blockName, dynamics] of Object.entries(body.dynamic ?? {})) {
    const parts = input[blockName] === undefined ? [] : [toHcl(input[blockName])];
    for (const d of dynamics) parts.push(dynamicAsFor(blockName, d, rewriter));
    input[blockName] = parts.length === 1 ? `\${${parts[0]}}` : `\${concat(${parts.join(', ')})}`;
  }
  out.input = input;
  return out;
}

function dynamicAsFor(blockName, { for_each: forEach, iterator, content: [content] }, rewriter) {
  const it = iterator ? bareReference(iterator) : blockName;
  const each = toHcl(rewriter.value(forEach));
  const nested = {};
  for (const [k, v] of Object.entries(content)) if (k !== 'dynamic') nested[k] = rewriter.value(v);
  for (const [name, ds] of Object.entries(content.dynamic ?? {})) {
    const parts = nested[name] === undefined ? [] : [toHcl(nested[name])];
    for (const d of ds) parts.push(dynamicAsFor(name, d, rewriter));
    nested[name] = `\${${parts.length === 1 ? parts[0] : `concat(${parts.join(', ')})`}}`;
  }
  return `[for ${it} in [for k, v in ${each} : { key = k, value = v }] : ${toHcl(nested)}]`;
}

// --- References -------------------------------------------------------------------------------------------

class Rewriter {
  constructor(blocks) { this.blocks = blocks; }

  value(v) {
    if (typeof v === 'string') return this.string(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v && typeof v === 'object') {
      const out = {};
      for (const [k, x] of Object.entries(v)) out[k] = k === 'depends_on' ? x.map((d) => this.dependency(d)) : this.value(x);
      return out;
    }
    return v;
  }

  string(s) {
    const refs = referencesIn(s).filter((r) => this.target(r.source));
    let out = s;
    for (const r of refs.reverse()) out = out.slice(0, r.start) + this.rewrite(r.source) + out.slice(r.end);
    return out;
  }

  // depends_on names a whole resource: the stand-in itself.
  dependency(d) {
    const bare = bareReference(d);
    const block = this.target(bare);
    return block ? `terraform_data.${standInName(block.kind, block.type, block.name)}` : bare;
  }

  target(source) {
    const m = /^(data\.)?(aws_\w+)\.([A-Za-z_][\w-]*)/.exec(source);
    return m ? this.blocks.get(m[0]) : undefined;
  }

  // aws_T.N[i].attr... -> terraform_data.aws_T__N[i].input.attr...; a whole resource -> its input(s).
  rewrite(source) {
    const block = this.target(source);
    const head = /^(data\.)?(aws_\w+)\.([A-Za-z_][\w-]*)/.exec(source)[0];
    let rest = source.slice(head.length);
    let index = '';
    const idx = /^\[(?:[^\[\]]|\[[^\]]*\])*\]/.exec(rest);
    if (idx) { index = idx[0]; rest = rest.slice(index.length); }
    const standIn = `terraform_data.${standInName(block.kind, block.type, block.name)}`;
    const attr = /^\.([A-Za-z_][\w-]*)/.exec(rest)?.[1];
    if (attr) {
      block.read.add(attr);
      return `${standIn}${index}.input${rest}`;
    }
    if (index) return `${standIn}${index}.input${rest}`;
    // The whole resource: every instance's input, shaped as count or for_each shapes the resource.
    if (block.mode === 'for_each') return `{ for k, r in ${standIn} : k => r.input }`;
    if (block.mode === 'count') return `[for r in ${standIn} : r.input]`;
    return `${standIn}.input`;
  }
}

// depends_on and expect_failures name things; they are not expressions.
const bareReference = (s) => (typeof s === 'string' ? s.replace(/^\$\{([\s\S]*)\}$/, '$1') : s);

function addReadAttributes(body, block) {
  const schema = schemaOf(block.kind, block.type);
  for (const attr of block.read) {
    if (attr in body.input) continue;
    const known = block.kind === 'data' ? KNOWN_DATA[block.type]?.[attr] : undefined;
    if (known !== undefined) { body.input[attr] = known; continue; }
    const kind = schema?.computed.get(attr) ?? (schema?.args.get(attr)?.block ? 'Block' : storageKind(schema?.args.get(attr)?.storage));
    body.input[attr] = `\${${UNKNOWN}.${UNKNOWN_OF[kind] ?? 'string'}}`;
  }
}

const storageKind = (storage) => ({ number: 'Number', boolean: 'Boolean', stringList: 'List', numberList: 'List', stringMap: 'StringMap' })[storage] ?? 'String';

// --- HCL text for what must be one expression -------------------------------------------------------------

function toHcl(v) {
  if (v === null) return 'null';
  if (typeof v === 'string') {
    if (/^\$\{[\s\S]*\}$/.test(v) && balanced(v.slice(2, -1))) return `(${v.slice(2, -1)})`;
    return JSON.stringify(v);
  }
  if (typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toHcl).join(', ')}]`;
  return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} = ${toHcl(x)}`).join(', ')} }`;
}

// "${a} and ${b}" is a template, not one expression; "${f({ x = 1 })}" is one.
function balanced(inner) {
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '{') depth++;
    else if (inner[i] === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

// --- Writing JSON a key a line, remembering where each line came from -------------------------------------

function serialize(json) {
  const text = [];
  const lines = [];
  const write = (value, at, indent, prefix, suffix) => {
    const pad = '  '.repeat(indent);
    if (value && typeof value === 'object' && (Array.isArray(value) ? value.length : Object.keys(value).length)) {
      const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
      text.push(`${pad}${prefix}${open}`); lines.push(at);
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      entries.forEach(([k, v], i) => write(v, [...at, k], indent + 1, Array.isArray(value) ? '' : `${JSON.stringify(k)}: `, i < entries.length - 1 ? ',' : ''));
      text.push(`${pad}${close}${suffix}`); lines.push(at);
    } else {
      text.push(`${pad}${prefix}${JSON.stringify(value)}${suffix}`); lines.push(at);
    }
  };
  write(json, [], 0, '', '');
  return { text: `${text.join('\n')}\n`, lines };
}

// The source line a path in the converted JSON came from.
function sourceLine(entry, at, blocks) {
  const [kind, type, name, ...rest] = at;
  if (kind === 'resource' && type === 'terraform_data') {
    const block = [...blocks.values()].find((b) => standInName(b.kind, b.type, b.name) === name);
    if (block) return lineOf(entry.text, blockHeader(block.kind, block.type, block.name), rest[0] === 'input' ? rest.slice(1) : rest);
  }
  if (kind === 'resource' || kind === 'data') return lineOf(entry.text, blockHeader(kind, type, name), rest);
  if (['variable', 'output', 'module', 'check', 'run'].includes(kind) && type !== undefined) {
    return lineOf(entry.text, new RegExp(`^\\s*${kind}\\s+"${type}"`), [name, ...rest].filter((k) => k !== undefined));
  }
  if (kind === 'locals' && typeof name === 'string') {
    const found = entry.text.split('\n').findIndex((l) => new RegExp(`^\\s*${name}\\s*=`).test(l));
    return found >= 0 ? found + 1 : 1;
  }
  if (kind !== undefined) return lineOf(entry.text, new RegExp(`^\\s*${kind}\\b`), []);
  return 1;
}
