// Plans infra/ with Terraform, without the AWS provider: writes the provider-free stand-in copy
// (lib/standin.mjs), then runs `terraform validate`, `terraform test` (every run of infra/tests/*.tftest.hcl:
// the documented variable sets, and the inputs the module must refuse) and `terraform plan` of every
// example with its .tfvars. Every error and every unexpected warning is printed with the file and line
// of infra/ it comes from, and fails the check.
//
//   node plan.mjs [module folder, default ../../infra]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { moduleFolders } from './lib/module.mjs';
import { writeStandIn } from './lib/standin.mjs';

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await planModule(path.resolve(process.argv[2] ?? '../../infra'));
  for (const line of result.report) console.log(line);
  process.exitCode = result.ok ? 0 : 1;
}

/** Runs every step on a module tree; { ok, report: [line], problems: [{ file, line, message }] }. */
export async function planModule(moduleRoot) {
  const report = [];
  const problems = [];
  const terraform = terraformBinary();
  if (!terraform) {
    report.push('!! terraform plan check SKIPPED: no terraform binary on this machine. Install Terraform >= 1.9 to run it;');
    report.push('!! the schema check (schema.mjs) still runs.');
    return { ok: true, skipped: true, report, problems };
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-plan-'));
  const origin = await writeStandIn(moduleRoot, work);
  // filebase64sha256 needs a file; any file stands in for function.zip at plan.
  const zip = path.join(work, 'function.zip');
  fs.writeFileSync(zip, 'stand-in package\n');
  const where = (cwd, range) => {
    if (!range?.filename) return path.relative(process.cwd(), moduleRoot);
    const rel = path.relative(work, path.resolve(cwd, range.filename));
    const o = origin(rel, range.start?.line ?? 1);
    return o ? `${path.relative(process.cwd(), path.join(moduleRoot, o.file))}:${o.line}` : `${rel}:${range.start?.line} (generated)`;
  };
  const run = (cwd, args, label) => {
    const out = spawnSync(terraform, args, { cwd, encoding: 'utf8', env: terraformEnv() });
    const events = jsonEvents(out.stdout ?? '');
    for (const e of events.filter((x) => x.type === 'diagnostic')) diagnostic(cwd, e.diagnostic, label, e['@testrun']);
    for (const d of events.flatMap((e) => (e.diagnostics ?? []))) diagnostic(cwd, d, label);
    return { status: out.status, events, stderr: out.stderr };
  };
  const diagnostic = (cwd, d, label, runName) => {
    const at = where(cwd, d.range);
    const text = `${label}${runName ? ` run "${runName}"` : ''}: ${d.severity} at ${at}: ${d.summary}${d.detail ? ` (${d.detail.replace(/\s+/g, ' ').trim()})` : ''}`;
    // A warning is a problem too, unless a test run expects that check to fail.
    if (d.severity === 'error' || d.severity === 'warning') problems.push({ at, message: text, severity: d.severity });
  };

  for (const dir of moduleFolders(work, '.tf.json')) {
    const label = path.relative(work, dir) || path.basename(moduleRoot);
    const init = spawnSync(terraform, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, encoding: 'utf8', env: terraformEnv() });
    if (init.status !== 0) {
      problems.push({ at: label, message: `${label}: terraform init failed: ${init.stderr.trim()}`, severity: 'error' });
      continue;
    }
    run(dir, ['validate', '-json', '-no-color'], `${label} validate`);
    report.push(`${label}: terraform validate done`);
    if (fs.existsSync(path.join(dir, 'tests'))) {
      const t = run(dir, ['test', '-json', '-no-color', `-var=function_zip=${zip}`], `${label} test`);
      const runs = t.events.filter((e) => e.type === 'test_run' && e.test_run?.progress === 'complete');
      for (const r of runs) {
        const status = r.test_run.status;
        report.push(`${label}: test run "${r.test_run.run}" (${r['@testfile']}): ${status}`);
        if (status !== 'pass') problems.push({ at: label, message: `${label} test run "${r.test_run.run}": ${status}`, severity: 'error' });
      }
      if (!runs.length) problems.push({ at: label, message: `${label}: terraform test ran no run block (${t.stderr.trim()})`, severity: 'error' });
    }
    // The order the deploy relies on, as Terraform plans it: tests/ordering.json's edges in the plan's graph.
    const ordering = path.join(moduleRoot, path.relative(work, dir), 'tests', 'ordering.json');
    if (fs.existsSync(ordering)) {
      const graph = spawnSync(terraform, ['graph', '-type=plan'], { cwd: dir, encoding: 'utf8', env: terraformEnv() }).stdout ?? '';
      for (const { then, first, why } of JSON.parse(fs.readFileSync(ordering, 'utf8')).edges) {
        const node = (address) => {
          const [type, name] = address.split('.');
          return `terraform_data.${type}__${name}`;
        };
        const edge = `"[root] ${node(then)} (expand)" -> "[root] ${node(first)} (expand)"`;
        if (graph.includes(edge)) report.push(`${label}: plan orders ${first} before ${then}`);
        else problems.push({ at: label, message: `${label}: the plan does not order ${first} before ${then}: ${why}`, severity: 'error' });
      }
    }
    // A folder with neither tests nor .tfvars is planned with its variables' defaults.
    const varFiles = fs.readdirSync(dir).filter((f) => f.endsWith('.tfvars'));
    if (!varFiles.length && !fs.existsSync(path.join(dir, 'tests'))) {
      const p = run(dir, ['plan', '-json', '-no-color', '-input=false', '-lock=false', '-refresh=false'], `${label} plan`);
      const summary = p.events.find((e) => e.type === 'change_summary');
      report.push(`${label}: terraform plan: ${summary ? summary['@message'] : 'no plan'}`);
    }
    for (const vars of varFiles) {
      const p = run(dir, ['plan', '-json', '-no-color', '-input=false', '-lock=false', '-refresh=false',
        `-var-file=${vars}`, `-var=function_zip=${zip}`], `${label} plan -var-file=${vars}`);
      const summary = p.events.find((e) => e.type === 'change_summary');
      report.push(`${label}: terraform plan -var-file=${vars}: ${summary ? summary['@message'] : 'no plan'}`);
      if (!summary) problems.push({ at: label, message: `${label}: terraform plan -var-file=${vars} made no plan`, severity: 'error' });
    }
  }
  // Warnings inside a passing `terraform test` run belong to that run (expect_failures on a check).
  const failing = problems.filter((p) => p.severity === 'error' || !/ test run /.test(p.message));
  for (const p of failing) report.push(`  - ${p.message}`);
  report.push(failing.length ? `plan check: ${failing.length} problem(s)` : 'plan check: every module folder validates, every test run passes, every example plans');
  fs.rmSync(work, { recursive: true, force: true });
  return { ok: failing.length === 0, report, problems: failing };
}

// `validate -json` prints one document; `plan -json` and `test -json` print a document a line.
function jsonEvents(stdout) {
  try {
    return [JSON.parse(stdout)];
  } catch {
    return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  }
}

export function terraformBinary() {
  const found = spawnSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

// TF_CLI_CONFIG_FILE may name a file that does not exist here; nothing in the stand-in needs a CLI config.
function terraformEnv() {
  const { TF_CLI_CONFIG_FILE: _unused, ...env } = process.env;
  return { ...env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
}
