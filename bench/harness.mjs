// The measuring tools of `npm run bench`: timed runs interleaved with their baseline, medians and
// ranges, a pseudo-terminal through util-linux `script`, and peak memory from /proc.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });

/** Wall time of one command run to completion, in ms (output discarded). */
export const timeOnce = (cmd, args, options = {}) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    stdio: options.stdio ?? 'ignore',
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 600_000,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !options.allowFail) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString() ?? ''}`);
  return ms;
};

/**
 * Runs `candidate` and `baseline` alternately `runs` times (after `warmup` unmeasured pairs), so a
 * machine that slows down during the run slows both: the ratio stays honest on a loaded 2-core box.
 */
export const interleave = async (candidate, baseline, { runs, warmup = 1 }) => {
  for (let i = 0; i < warmup; i += 1) {
    await candidate();
    await baseline();
  }
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i += 1) {
    if (i % 2 === 0) {
      a.push(await candidate());
      b.push(await baseline());
    } else {
      b.push(await baseline());
      a.push(await candidate());
    }
  }
  return { candidate: stats(a), baseline: stats(b), ratio: median(a) / median(b) };
};

/** Peak resident memory (VmHWM) of a process, in KiB, read just before it ends. */
const peakKiB = (pid) => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};

/** The node processes under `pid` (children of `script`'s shell), deepest last. */
const descendants = (pid) => {
  const out = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' }).stdout;
  const rows = out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map(([p, pp, c]) => ({ pid: Number(p), ppid: Number(pp), comm: c }));
  const found = [];
  const walk = (p) => {
    for (const r of rows.filter((x) => x.ppid === p)) {
      found.push(r);
      walk(r.pid);
    }
  };
  walk(pid);
  return found;
};

/**
 * Starts `command` in a pseudo-terminal (util-linux `script`) of the given size, and resolves when
 * `until(screenText)` holds: the time from spawn to that frame, the peak memory of its node process
 * so far, and `interact(write)` to send keys before it is killed.
 */
/** Terminal sessions still open: an interrupted bench ends them (a UI left in a pty would run on). */
const openTerminals = new Set();
const endTerminal = (child) => {
  for (const d of descendants(child.pid).reverse()) {
    try {
      process.kill(d.pid, 'SIGKILL');
    } catch {}
  }
  child.kill('SIGKILL');
  openTerminals.delete(child);
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of openTerminals) endTerminal(child);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

export const inTerminal = (command, { cols = 100, rows = 30, env = {}, cwd, until, timeoutMs = 30_000, interact }) =>
  new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', `stty cols ${cols} rows ${rows} 2>/dev/null; ${command}`, '/dev/null'], {
      cwd,
      env: { ...process.env, TERM: 'xterm-256color', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    openTerminals.add(child);
    let screen = '';
    let done = false;
    let peak = 0;
    const sampler = setInterval(() => {
      for (const d of descendants(child.pid)) if (d.comm === 'node') peak = Math.max(peak, peakKiB(d.pid));
    }, 50);
    const finish = (error, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(sampler);
      for (const d of descendants(child.pid)) if (d.comm === 'node') peak = Math.max(peak, peakKiB(d.pid));
      endTerminal(child);
      if (error) reject(error);
      else resolve({ ...value, peakKiB: peak });
    };
    const timer = setTimeout(() => finish(new Error(`no matching frame within ${timeoutMs} ms; last output: ${screen.slice(-400)}`)), timeoutMs);
    child.stdout.on('data', async (chunk) => {
      screen += chunk.toString('utf8');
      if (done || !until(screen)) return;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!interact) return finish(null, { ms, screen });
      try {
        const extra = await interact({ write: (s) => child.stdin.write(s), screen: () => screen, t0 });
        finish(null, { ms, screen, ...extra });
      } catch (error) {
        finish(error);
      }
    });
    child.on('error', (error) => finish(error));
  });

/** Disk usage of a folder as a user sees it (du -sk), in KiB. */
export const diskKiB = (dir) => Number(spawnSync('du', ['-sk', dir], { encoding: 'utf8' }).stdout.split('\t')[0]);
