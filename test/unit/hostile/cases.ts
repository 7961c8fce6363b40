import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The hostile-input corpus (issue 9): files a careless, curious or malicious learner (or a shared
 * workspace) can put where the runner reads. Each case changes one file of a fresh workspace.
 */

/** Which file a case is about; it decides the commands run (lint reads only the Dockerfile and .dockerignore). */
export type Target = 'Dockerfile' | '.dockerignore' | 'compose.yaml' | 'workflow';

export const WORKFLOW = '.github/workflows/docker.yml';

/** The relative path of each target in the workspace, and the lesson whose static check reads it. */
export const TARGETS: Record<Target, { readonly path: string; readonly lesson: string; readonly check: string }> = {
  Dockerfile: { path: 'Dockerfile', lesson: '2', check: 'dockerfile.exists' },
  '.dockerignore': { path: '.dockerignore', lesson: '3', check: 'dockerignore.excludes' },
  'compose.yaml': { path: 'compose.yaml', lesson: '16', check: 'compose.valid' },
  workflow: { path: WORKFLOW, lesson: '21', check: 'ci.workflow' },
};

export interface Places {
  readonly ws: string;
  /** A folder next to the workspace whose content must never be read or shown. */
  readonly outside: string;
  /** Text of every file in `outside`; it must never appear in any output or workspace file. */
  readonly canary: string;
}

export type Expect =
  /** Refused: exit 2, stdout empty, one line on stderr naming `names`. */
  | { readonly error: string; readonly lines?: 1 | 2 }
  /** Analysed: lint exits `lint`; the lesson's check ends with one of `status`. */
  | { readonly lint?: 0 | 1 | 2; readonly status: readonly string[]; readonly mentions?: string };

export interface Case {
  readonly name: string;
  readonly target: Target;
  readonly setup: (p: Places) => void;
  readonly expect: Expect;
  /** Make opening this file fail with EACCES (tests run as root, where chmod 000 does not stop a read). */
  readonly unreadable?: boolean;
}

const put = (p: Places, target: Target, content: string | Buffer): void => {
  const file = join(p.ws, TARGETS[target].path);
  rmSync(file, { recursive: true, force: true });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
};
const link = (p: Places, target: Target, to: string): void => {
  const file = join(p.ws, TARGETS[target].path);
  rmSync(file, { recursive: true, force: true });
  mkdirSync(dirname(file), { recursive: true });
  symlinkSync(to, file);
};

const ESCAPES = '\u001b]0;PWNED\u0007\u001b[2J\u001b[H\u009b31m\u0008\u202e';
/** Deterministic "random" bytes: binary files must be the same on every run. */
const bytes = (n: number, seed = 7): Buffer => {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >> 16;
  }
  return out;
};
const nest = (n: number): string => `${'${A:-'.repeat(n)}x${'}'.repeat(n)}`;
const lines = (n: number, make: (i: number) => string): string => Array.from({ length: n }, (_, i) => make(i)).join('\n');
const GOOD = 'FROM golang:1.26-trixie AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /server ./cmd/server\nCMD ["/server"]\n';
const ANY = ['pass', 'fail', 'unknown', 'skip'];

/** File-system shapes every target is tried with: each must be refused, naming the file. */
const fsCases = (target: Target, name: string): Case[] => [
  { name: `${name}: symlink to itself (ELOOP)`, target, setup: (p) => link(p, target, TARGETS[target].path.split('/').pop() ?? ''), expect: { error: name } },
  {
    name: `${name}: two links pointing at each other`,
    target,
    setup: (p) => {
      symlinkSync(join(p.ws, TARGETS[target].path), join(p.ws, 'loop-b'));
      link(p, target, join(p.ws, 'loop-b'));
    },
    expect: { error: name },
  },
  { name: `${name}: symlink to a file outside the workspace`, target, setup: (p) => link(p, target, join(p.outside, 'secret')), expect: { error: name } },
  {
    name: `${name}: relative symlink climbing out (../)`,
    target,
    setup: (p) => link(p, target, `${'../'.repeat(TARGETS[target].path.split('/').length)}outside/secret`),
    expect: { error: name },
  },
  { name: `${name}: symlink to /dev/zero (never ends)`, target, setup: (p) => link(p, target, '/dev/zero'), expect: { error: name } },
  { name: `${name}: dangling symlink`, target, setup: (p) => link(p, target, join(p.outside, 'missing')), expect: { error: name } },
  {
    name: `${name}: a folder where the file should be`,
    target,
    setup: (p) => {
      rmSync(join(p.ws, TARGETS[target].path), { recursive: true, force: true });
      mkdirSync(join(p.ws, TARGETS[target].path), { recursive: true });
    },
    // `lint PATH` takes a folder as "the Dockerfile in it", so it says none is there, with the next step.
    expect: { error: name, lines: target === 'Dockerfile' ? 2 : 1 },
  },
  {
    name: `${name}: a named pipe (FIFO) that no one writes`,
    target,
    setup: (p) => {
      rmSync(join(p.ws, TARGETS[target].path), { force: true });
      mkdirSync(dirname(join(p.ws, TARGETS[target].path)), { recursive: true });
      execFileSync('mkfifo', [join(p.ws, TARGETS[target].path)]);
    },
    expect: { error: name },
  },
  { name: `${name}: over the 1 MiB cap`, target, setup: (p) => put(p, target, `# ${'x'.repeat(1024 * 1024 + 10)}\n`), expect: { error: name } },
  { name: `${name}: unreadable (EACCES)`, target, setup: (p) => put(p, target, 'FROM alpine:3.20\n'), unreadable: true, expect: { error: name } },
];

export const CASES: Case[] = [
  // Dockerfile content: analysed, with a verdict and no crash.
  { name: 'empty Dockerfile', target: 'Dockerfile', setup: (p) => put(p, 'Dockerfile', ''), expect: { lint: 1, status: ['fail'], mentions: 'empty' } },
  {
    name: 'only blank lines and spaces',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', '\n \n\t\n\n'),
    expect: { lint: 1, status: ['fail'], mentions: 'empty' },
  },
  { name: 'only comments', target: 'Dockerfile', setup: (p) => put(p, 'Dockerfile', '# a\n# b\n'), expect: { lint: 1, status: ['fail'] } },
  { name: 'UTF-8 BOM', target: 'Dockerfile', setup: (p) => put(p, 'Dockerfile', `\uFEFF${GOOD}`), expect: { lint: 0, status: ['pass'] } },
  { name: 'CRLF line ends', target: 'Dockerfile', setup: (p) => put(p, 'Dockerfile', GOOD.replace(/\n/g, '\r\n')), expect: { lint: 0, status: ['pass'] } },
  {
    name: 'BOM and CRLF and backtick escape',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `\uFEFF# escape=\`\r\n${GOOD.replace(/\n/g, '\r\n')}`),
    expect: { lint: 0, status: ['pass'] },
  },
  {
    name: 'old-Mac CR-only line ends',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', GOOD.replace(/\n/g, '\r')),
    expect: { status: ['pass', 'fail'] },
  },
  {
    name: 'NUL bytes inside an instruction',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\nRUN echo \u0000\u0000 hi\n`),
    expect: { status: ['pass'] },
  },
  { name: 'a file of NUL bytes', target: 'Dockerfile', setup: (p) => put(p, 'Dockerfile', Buffer.alloc(4096)), expect: { lint: 1, status: ['fail'] } },
  { name: 'random binary', target: 'Dockerfile', setup: (p) => put(p, 'Dockerfile', bytes(8192)), expect: { lint: 1, status: ['fail'] } },
  {
    name: 'a PNG image',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), bytes(512, 3)])),
    expect: { lint: 1, status: ['fail'] },
  },
  {
    name: 'UTF-16LE with BOM',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')])),
    expect: { lint: 1, status: ['fail'] },
  },
  {
    name: 'invalid UTF-8 sequences',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', Buffer.concat([Buffer.from('FROM alpine:3.20\nLABEL x="'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"\n')])),
    expect: { lint: 0, status: ['pass'] },
  },
  {
    name: '10,000 RUN lines',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\n${lines(10_000, (i) => `RUN echo ${i}`)}\n`),
    expect: { status: ['pass'] },
  },
  {
    name: '10,000 comment lines before FROM',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `${lines(10_000, (i) => `# ${i}`)}\nFROM alpine:3.20\n`),
    expect: { lint: 0, status: ['pass'] },
  },
  {
    name: '10,000 continuation lines',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\nRUN echo \\\n${lines(10_000, (i) => `  ${i} \\`)}\n  end\n`),
    expect: { status: ['pass'] },
  },
  {
    name: 'more than 20,000 instructions',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\n${lines(20_001, () => 'RUN x')}\n`),
    expect: { lint: 1, status: ['fail'], mentions: '20000 instructions' },
  },
  {
    name: 'more than 500 stages',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `${lines(501, (i) => `FROM alpine:3.20 AS s${i}`)}\n`),
    expect: { lint: 1, status: ['fail'], mentions: '500 stages' },
  },
  {
    name: 'unknown instruction',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', 'FROM alpine:3.20\nFROBNICATE now\n'),
    expect: { lint: 1, status: ['fail'], mentions: 'FROBNICATE' },
  },
  { name: 'instruction with no arguments', target: 'Dockerfile', setup: (p) => put(p, 'Dockerfile', 'FROM\n'), expect: { lint: 1, status: ['fail'] } },
  {
    name: 'ARG loop (A from B, B from A)',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', 'ARG A=${B}\nARG B=${A}\nFROM alpine:${A}3.20\n'),
    expect: { status: ANY },
  },
  {
    name: 'self-referencing ARG',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', 'ARG A=${A}${A}${A}\nARG A=${A}${A}${A}\nFROM alpine:3.20${A}\n'),
    expect: { status: ANY },
  },
  {
    name: 'ARG chain 5,000 long',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `ARG A0=3\n${lines(5000, (i) => `ARG A${i + 1}=\${A${i}}`)}\nFROM alpine:\${A5000}\n`),
    expect: { status: ['pass'] },
  },
  {
    name: '5,000-deep ${A:-...} nesting',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:${nest(5000)}\n`),
    expect: { lint: 1, status: ['fail'], mentions: 'nested 5000 levels' },
  },
  {
    name: 'nesting at the limit (16 levels)',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\nENV X=${nest(16)}\n`),
    expect: { status: ['pass'] },
  },
  {
    name: '900 KB single line',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\nLABEL x="${'y'.repeat(900_000)}"\n`),
    expect: { status: ['pass'] },
  },
  {
    name: 'thousands of unclosed ${',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\nENV X=${'${'.repeat(3000)}\n`),
    expect: { lint: 1, status: ['fail'], mentions: 'nested' },
  },
  {
    name: 'heredoc never closed',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', 'FROM alpine:3.20\nRUN <<EOF\necho hi\n'),
    expect: { lint: 1, status: ['fail'], mentions: 'never closed' },
  },
  {
    name: 'heredoc of 10,000 lines',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\nRUN <<EOF\n${lines(10_000, (i) => `echo ${i}`)}\nEOF\n`),
    expect: { status: ['pass'] },
  },
  {
    name: 'bad escape directive',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', '# escape=x\nFROM alpine:3.20\n'),
    expect: { lint: 1, status: ['fail'] },
  },
  {
    name: 'CMD JSON nested 10,000 deep',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\nCMD ${'['.repeat(10_000)}"x"${']'.repeat(10_000)}\n`),
    expect: { status: ANY },
  },
  {
    name: 'only ARG lines, no FROM',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', 'ARG A=1\nARG B=2\n'),
    expect: { lint: 1, status: ['fail'], mentions: 'FROM' },
  },
  {
    name: 'continuation at end of file',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', 'FROM alpine:3.20\nRUN echo \\'),
    expect: { status: ['pass', 'fail'] },
  },
  {
    name: 'stages that reference each other in a circle',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', 'FROM b AS a\nFROM a AS b\nCOPY --from=b / /\n'),
    expect: { status: ANY },
  },
  // Terminal escapes in what messages quote: shown escaped, never acted on.
  {
    name: 'escape sequences as an instruction',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20\n${ESCAPES}\n`),
    expect: { lint: 1, status: ['fail'], mentions: '\\u001b]0;PWNED' },
  },
  { name: 'escape sequences in the image name', target: 'Dockerfile', setup: (p) => put(p, 'Dockerfile', `FROM alpine${ESCAPES}\n`), expect: { status: ANY } },
  {
    name: 'escape sequences in a stage name and USER',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', `FROM alpine:3.20 AS x${ESCAPES}\nUSER ${ESCAPES}\nEXPOSE ${ESCAPES}\n`),
    expect: { status: ANY },
  },
  {
    name: 'CJK, emoji and bidi text',
    target: 'Dockerfile',
    setup: (p) => put(p, 'Dockerfile', 'FROM alpine:3.20\nLABEL 描述="容器 🐳 \u202egnp.exe"\nUSER 用户\n'),
    expect: { status: ['pass'] },
  },
  // The Dockerfile as a file system object.
  ...fsCases('Dockerfile', 'Dockerfile'),
  {
    name: 'Dockerfile: symlink to a valid Dockerfile outside',
    target: 'Dockerfile',
    setup: (p) => link(p, 'Dockerfile', join(p.outside, 'project', 'Dockerfile')),
    expect: { error: 'Dockerfile' },
  },
  {
    name: 'Dockerfile: symlink inside the workspace is fine',
    target: 'Dockerfile',
    setup: (p) => (put(p, 'Dockerfile', GOOD), writeFileSync(join(p.ws, 'Dockerfile.real'), GOOD), link(p, 'Dockerfile', 'Dockerfile.real')),
    expect: { lint: 0, status: ['pass'] },
  },
  {
    name: 'Dockerfile: missing',
    target: 'Dockerfile',
    setup: (p) => rmSync(join(p.ws, 'Dockerfile')),
    expect: { lint: 2, status: ['fail'], mentions: 'does not exist' },
  },
  // .dockerignore
  { name: '.dockerignore: binary', target: '.dockerignore', setup: (p) => put(p, '.dockerignore', bytes(4096, 11)), expect: { status: ['fail'] } },
  {
    name: '.dockerignore: NUL bytes and escapes in patterns',
    target: '.dockerignore',
    setup: (p) => put(p, '.dockerignore', `.git\u0000\n${ESCAPES}\n!.git${ESCAPES}\n`),
    expect: { status: ['fail'] },
  },
  {
    name: '.dockerignore: 10,000 lines',
    target: '.dockerignore',
    setup: (p) => put(p, '.dockerignore', `${lines(10_000, (i) => `dir${i}/**`)}\n.git\n.learn-go-docker\n`),
    expect: { status: ['pass'] },
  },
  {
    name: '.dockerignore: CRLF and BOM',
    target: '.dockerignore',
    setup: (p) => put(p, '.dockerignore', '\uFEFF.git\r\n.learn-go-docker\r\n'),
    expect: { status: ['pass', 'fail'] },
  },
  ...fsCases('.dockerignore', '.dockerignore'),
  // compose.yaml
  { name: 'compose.yaml: not YAML', target: 'compose.yaml', setup: (p) => put(p, 'compose.yaml', '{{{ [[[ :::\n\t- - -\n'), expect: { status: ['fail'] } },
  { name: 'compose.yaml: empty', target: 'compose.yaml', setup: (p) => put(p, 'compose.yaml', ''), expect: { status: ['fail'] } },
  { name: 'compose.yaml: binary', target: 'compose.yaml', setup: (p) => put(p, 'compose.yaml', bytes(4096, 5)), expect: { status: ['fail'] } },
  { name: 'compose.yaml: a list, not a map', target: 'compose.yaml', setup: (p) => put(p, 'compose.yaml', '- a\n- b\n'), expect: { status: ['fail'] } },
  {
    name: 'compose.yaml: alias bomb (billion laughs)',
    target: 'compose.yaml',
    setup: (p) =>
      put(
        p,
        'compose.yaml',
        `a: &a ["x","x","x","x","x","x","x","x","x"]\n${lines(
          9,
          (i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
              .fill(`*${String.fromCharCode(97 + i)}`)
              .join(',')}]`,
        )}\nservices: *j\n`,
      ),
    expect: { status: ['fail'] },
  },
  {
    name: 'compose.yaml: nested 10,000 deep',
    target: 'compose.yaml',
    setup: (p) => put(p, 'compose.yaml', `services: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`),
    expect: { status: ['fail'] },
  },
  {
    name: 'compose.yaml: escapes in a service name',
    target: 'compose.yaml',
    setup: (p) => put(p, 'compose.yaml', `services:\n  "app${ESCAPES}":\n    image: x\n`),
    expect: { status: ['fail'] },
  },
  ...fsCases('compose.yaml', 'compose.yaml'),
  // The CI workflow
  { name: 'workflow: not YAML', target: 'workflow', setup: (p) => put(p, 'workflow', '::: {{{\n'), expect: { status: ['fail'] } },
  {
    name: 'workflow: its folder is a file',
    target: 'workflow',
    setup: (p) => (rmSync(join(p.ws, '.github'), { recursive: true, force: true }), writeFileSync(join(p.ws, '.github'), 'x')),
    expect: { status: ['fail'] },
  },
  {
    name: 'workflow: non-UTF-8 file names next to it',
    target: 'workflow',
    setup: (p) => {
      put(p, 'workflow', 'on: push\njobs: {}\n');
      const dir = Buffer.from(join(p.ws, '.github', 'workflows'));
      writeFileSync(Buffer.concat([dir, Buffer.from('/bad-\xff\xfe-'), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('.yml')]), 'x: 1\n');
      mkdirSync(Buffer.concat([Buffer.from(p.ws), Buffer.from('/dir-'), Buffer.from([0xc3, 0x28])]));
    },
    expect: { status: ['fail'] },
  },
  ...fsCases('workflow', 'docker.yml'),
];
