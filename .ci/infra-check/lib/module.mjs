// A Terraform module as HashiCorp's HCL parser reads it (@cdktf/hcl2json): each file's JSON form, its
// text for pointing at lines, and the references inside its expressions.
import { parse } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';

export const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);

/** Every .tf file directly in `dir` (a module is one folder), parsed: [{ file, text, json }]. */
export async function readModule(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.tf') || f.endsWith('.tftest.hcl')).sort();
  return Promise.all(files.map(async (file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    return { file, text, json: await parse(file, text) };
  }));
}

/** Every module folder under `dir` (itself included): a folder holding a file ending in `suffix`; `tests/` are not modules. */
export function moduleFolders(dir, suffix = '.tf') {
  const here = fs.readdirSync(dir, { withFileTypes: true });
  const sub = here.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'tests')
    .flatMap((e) => moduleFolders(path.join(dir, e.name), suffix));
  return here.some((e) => e.isFile() && e.name.endsWith(suffix)) ? [dir, ...sub] : sub;
}

/** The resources and data sources of a parsed module: [{ kind, type, name, body, file }]. */
export function blocksOf(module) {
  const blocks = [];
  for (const { file, json } of module) {
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        for (const [name, bodies] of Object.entries(byName)) blocks.push({ kind, type, name, body: bodies[0], file });
      }
    }
  }
  return blocks;
}

/**
 * The line (1-based) where a block starts in a file's text, and, given an attribute path inside it,
 * where that attribute is set; the block's own line when the attribute cannot be found.
 */
export function lineOf(text, header, attributePath = []) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => header.test(l));
  if (start < 0) return 1;
  let at = start;
  let depth = 0;
  let end = lines.length;
  for (let i = start; i < lines.length; i++) {
    depth += (lines[i].match(/[{[(]/g) ?? []).length - (lines[i].match(/[}\])]/g) ?? []).length;
    if (depth <= 0 && i > start) { end = i; break; }
  }
  // A key followed by an index n is the key's (n+1)th block at that place.
  for (let k = 0; k < attributePath.length; k++) {
    const key = attributePath[k];
    if (typeof key !== 'string' || !/^[A-Za-z_][\w-]*$/.test(key)) continue;
    const nth = typeof attributePath[k + 1] === 'number' ? attributePath[k + 1] : 0;
    const pattern = new RegExp(`^\\s*(dynamic\\s+")?${key}"?\\s*(=|\\{|$)`);
    let found = -1;
    for (let i = at + 1, seen = 0; i < end; i++) {
      if (pattern.test(lines[i]) && seen++ === nth) { found = i; break; }
    }
    if (found < 0) break;
    at = found;
  }
  return at + 1;
}

export const blockHeader = (kind, type, name) => new RegExp(`^\\s*${kind}\\s+"${type}"\\s+"${name}"`);

/**
 * The traversals in one string of the parsed JSON (a template: text with ${...} interpolations) that start
 * with a resource or data source address: [{ start, end, source }]. Text outside interpolations is not
 * searched; quoted strings inside expressions are, where they interpolate. (The parser's own
 * getReferencesInExpression does not look inside `for` expressions.)
 */
export function referencesIn(value) {
  const found = [];
  if (typeof value !== 'string' || !value.includes('${')) return found;
  // Each frame: 'text' (a template's literal part; quoted = inside an expression) or 'expr' (with depth).
  const stack = [{ mode: 'text', quoted: false }];
  for (let i = 0; i < value.length; i++) {
    const top = stack[stack.length - 1];
    const c = value[i];
    if (top.mode === 'text') {
      if (top.quoted && c === '\\') i++;
      else if ((c === '$' || c === '%') && value[i + 1] === c && value[i + 2] === '{') i += 2;
      else if ((c === '$' || c === '%') && value[i + 1] === '{') { stack.push({ mode: 'expr', depth: 0 }); i++; }
      else if (top.quoted && c === '"') stack.pop();
      continue;
    }
    if (c === '"') stack.push({ mode: 'text', quoted: true });
    else if (c === '{') top.depth++;
    else if (c === '}') { if (top.depth-- === 0) stack.pop(); }
    else if (/[A-Za-z_]/.test(c) && !/[\w.\-]/.test(value[i - 1] ?? ' ')) {
      const head = /^(data\.)?aws_\w+\.[A-Za-z_][\w-]*/.exec(value.slice(i));
      const word = /^[A-Za-z_][\w-]*/.exec(value.slice(i))[0];
      if (!head) { i += word.length - 1; continue; }
      let end = i + head[0].length;
      for (;;) {
        if (value[end] === '[') end = closing(value, end) + 1;
        else if (value[end] === '.' && /[A-Za-z_*]/.test(value[end + 1] ?? '')) end += 1 + /^(\*|[A-Za-z_][\w-]*)/.exec(value.slice(end + 1))[0].length;
        else break;
      }
      found.push({ start: i, end, source: value.slice(i, end) });
      i = end - 1;
    }
  }
  return found;
}

function closing(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return i;
  }
  return text.length - 1;
}

/** Calls `visit(value, path)` for every string in a parsed body, depth first. */
export function eachString(body, visit, at = []) {
  if (typeof body === 'string') visit(body, at);
  else if (Array.isArray(body)) body.forEach((v, i) => eachString(v, visit, [...at, i]));
  else if (body && typeof body === 'object') for (const [k, v] of Object.entries(body)) eachString(v, visit, [...at, k]);
}
