/**
 * `npm run bench`: start-up time, idle memory and request throughput of a real `latchkey start` process.
 * Machines here are shared and noisy, so every figure is also given as a ratio against a baseline measured
 * in the same run: a bare node:http server for start-up and memory, GET /healthz for request rates.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'packages/server/src/cli.ts');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const projectId = 'Pbenchmark000000000000000000';
const managementKey = 'Kbenchmarkmanagementkey0000000000';

type Proc = { child: ChildProcess; url: string; startupMs: number };

async function launch(args: string[], env: Record<string, string>, port: number): Promise<Proc> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url, startupMs: performance.now() - started };
    } catch {}
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const rssMiB = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};
const stop = (p: Proc) =>
  new Promise<void>((r) => {
    p.child.once('exit', () => r());
    p.child.kill('SIGTERM');
  });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

const BASELINE_SERVER = `require('node:http').createServer((q, s) => { s.setHeader('content-type','application/json'); s.end('{"status":"ok"}'); }).listen(process.env.PORT, '127.0.0.1')`;

async function startupAndMemory() {
  const rows: string[][] = [];
  const runs = Number(process.env.BENCH_STARTS ?? 3);
  const base: number[] = [];
  const lk: number[] = [];
  const baseMem: number[] = [];
  const lkMem: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < runs; i++) {
    const b = await launch(['-e', BASELINE_SERVER], {}, 31_000 + i);
    base.push(b.startupMs);
    await new Promise((r) => setTimeout(r, 1000));
    baseMem.push(rssMiB(b.child.pid!));
    await stop(b);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-'));
    // A fresh store every time: the first start also migrates and creates the project and its keys.
    const p = await launch(
      ['--disable-warning=ExperimentalWarning', cli, 'start'],
      { LATCHKEY_DATA_DIR: dir, LOG_LEVEL: 'silent' },
      31_100 + i,
    );
    lk.push(p.startupMs);
    await new Promise((r) => setTimeout(r, 1000));
    lkMem.push(rssMiB(p.child.pid!));
    await stop(p);
    const again = await launch(
      ['--disable-warning=ExperimentalWarning', cli, 'start'],
      { LATCHKEY_DATA_DIR: dir, LOG_LEVEL: 'silent' },
      31_150 + i,
    );
    restart.push(again.startupMs);
    await stop(again);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  rows.push([
    'start-up to first /healthz (fresh SQLite store)',
    `${median(lk).toFixed(0)} ms`,
    `${median(base).toFixed(0)} ms`,
    `${(median(lk) / median(base)).toFixed(1)}×`,
  ]);
  rows.push([
    'restart on an existing store',
    `${median(restart).toFixed(0)} ms`,
    `${median(base).toFixed(0)} ms`,
    `${(median(restart) / median(base)).toFixed(1)}×`,
  ]);
  rows.push([
    'idle RSS after start',
    `${median(lkMem).toFixed(1)} MiB`,
    `${median(baseMem).toFixed(1)} MiB`,
    `${(median(lkMem) / median(baseMem)).toFixed(1)}×`,
  ]);
  return rows;
}

async function load(
  name: string,
  make: (i: number) => [string, RequestInit],
): Promise<{ name: string; rps: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const [url, init] = make(i++);
        const t = performance.now();
        const res = await fetch(url, init);
        await res.arrayBuffer();
        if (!res.ok) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  return {
    name,
    rps: latencies.length / SECONDS,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    errors,
  };
}

const OTP_USERS = Number(process.env.BENCH_OTP_USERS ?? 4000);

/** One live code per test user, made by the test-user generator, so the verify load never reuses one. */
async function prepareOtpCodes(
  url: string,
  json: (auth: string, body?: unknown) => RequestInit,
): Promise<string[]> {
  const mk = `${projectId}:${managementKey}`;
  await fetch(
    `${url}/v1/mgmt/project/settings`,
    json(mk, { rateLimits: { enabled: false }, passwordless: { otpExpirationSeconds: 3600 } }),
  );
  for (let start = 0; start < OTP_USERS; start += 500) {
    const users = Array.from({ length: Math.min(500, OTP_USERS - start) }, (_, k) => ({
      loginId: `otp${start + k}@bench.test`,
      test: true,
    }));
    await fetch(`${url}/v1/mgmt/user/create/batch`, json(mk, { users }));
  }
  const codes: string[] = new Array(OTP_USERS);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < OTP_USERS) {
        const i = next++;
        const res = await fetch(
          `${url}/v1/mgmt/tests/generate/otp`,
          json(mk, { loginId: `otp${i}@bench.test`, deliveryMethod: 'email' }),
        );
        codes[i] = ((await res.json()) as { code: string }).code;
      }
    }),
  );
  return codes;
}

async function throughput() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-'));
  const p = await launch(
    ['--disable-warning=ExperimentalWarning', cli, 'start'],
    {
      LATCHKEY_DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      LATCHKEY_PROJECT_ID: projectId,
      LATCHKEY_MANAGEMENT_KEY: managementKey,
    },
    31_200,
  );
  const json = (auth: string, body?: unknown): RequestInit => ({
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  try {
    const signup = await fetch(
      `${p.url}/v1/auth/password/signup`,
      json(projectId, { loginId: 'bench@x.test', password: 'Benchmark1pw' }),
    );
    const { refreshJwt, user } = (await signup.json()) as { refreshJwt: string; user: { userId: string } };
    await load('warm-up', () => [`${p.url}/healthz`, {}]);
    const codes = await prepareOtpCodes(p.url, json);
    const results = [
      await load('GET /healthz (baseline)', () => [`${p.url}/healthz`, {}]),
      await load('GET /v2/keys/{project} (JWKS)', () => [`${p.url}/v2/keys/${projectId}`, {}]),
      await load('POST /v1/auth/refresh', () => [
        `${p.url}/v1/auth/refresh`,
        json(`${projectId}:${refreshJwt}`, {}),
      ]),
      await load('GET /v1/mgmt/user (load)', () => [
        `${p.url}/v1/mgmt/user?userId=${user.userId}`,
        json(`${projectId}:${managementKey}`),
      ]),
      await load('POST /v1/auth/otp/verify/email', (i) => [
        `${p.url}/v1/auth/otp/verify/email`,
        json(projectId, { loginId: `otp${i % codes.length}@bench.test`, code: codes[i % codes.length] }),
      ]),
      await load('POST /v1/auth/password/signin (Argon2id)', () => [
        `${p.url}/v1/auth/password/signin`,
        json(projectId, { loginId: 'bench@x.test', password: 'Benchmark1pw' }),
      ]),
    ];
    const base = results[0]!.rps;
    return results.map((r) => [
      r.name,
      `${r.rps.toFixed(0)}/s`,
      `${r.p50.toFixed(1)} ms`,
      `${r.p99.toFixed(1)} ms`,
      `${(r.rps / base).toFixed(3)}×`,
      String(r.errors),
    ]);
  } finally {
    await stop(p);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function table(head: string[], rows: string[][]) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
}

console.log(
  `Latchkey benchmark — node ${process.version}, ${os.cpus().length} cores, ${SECONDS}s per load, concurrency ${CONCURRENCY}\n`,
);
table(['startup', 'latchkey', 'bare node:http', 'ratio'], await startupAndMemory());
console.log();
table(['request', 'rate', 'p50', 'p99', 'vs /healthz', 'errors'], await throughput());
