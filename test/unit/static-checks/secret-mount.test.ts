import { describe, expect, it } from 'vitest';
import { csvFields } from '../../../src/engine/checks/static/secret-mounts.js';
import { check } from './helpers.js';

// dockerfile.secret-mount as lesson 15 binds it: the secret `netrc`, read by go from /root/.netrc
// or from the file NETRC names. Every form BuildKit accepts for that must pass; the forms where the
// secret never reaches go, or BuildKit refuses the mount, must fail.
const LESSON = { id: 'netrc', target: '/root/.netrc', targetEnv: 'NETRC' };
const run = (mount: string, command = 'go mod download', before = '') =>
  `FROM golang:1.26 AS build\nWORKDIR /src\n${before}RUN ${mount} ${command}\nFROM scratch\nCOPY --from=build /src /src\n`;
const status = async (text: string, params: Record<string, unknown> = LESSON) => (await check('dockerfile.secret-mount', text, params)).status;

describe('csvFields (how BuildKit splits a --mount value)', () => {
  it('splits on commas outside double quotes', () => {
    expect(csvFields('type=secret,id=netrc')).toEqual(['type=secret', 'id=netrc']);
    expect(csvFields('type=secret,"id=a,b",required')).toEqual(['type=secret', 'id=a,b', 'required']);
    expect(csvFields('"a""b"')).toEqual(['a"b']);
  });
});

describe('dockerfile.secret-mount: valid forms pass', () => {
  it.each([
    ['the lesson form', '--mount=type=secret,id=netrc,target=/root/.netrc,required=false'],
    ['required=true', '--mount=type=secret,id=netrc,target=/root/.netrc,required=true'],
    ['bare required', '--mount=type=secret,id=netrc,target=/root/.netrc,required'],
    ['options in another order', '--mount=target=/root/.netrc,id=netrc,type=secret,required=false'],
    ['dst= alias', '--mount=type=secret,id=netrc,dst=/root/.netrc'],
    ['destination= alias', '--mount=type=secret,destination=/root/.netrc,id=netrc'],
    ['source= instead of id=', '--mount=type=secret,source=netrc,target=/root/.netrc'],
    ['src= instead of id=', '--mount=type=secret,src=netrc,target=/root/.netrc'],
    ['upper-case keys and type', '--mount=TYPE=SECRET,ID=netrc,Target=/root/.netrc'],
    ['quoted value', '--mount="type=secret,id=netrc,target=/root/.netrc"'],
    ['quoted fields', '--mount=type=secret,"id=netrc","target=/root/.netrc"'],
    ['mode and uid', '--mount=type=secret,id=netrc,target=/root/.netrc,mode=0400,uid=0'],
  ])('%s', async (_name, mount) => expect(await status(run(mount))).toBe('pass'));

  it('the default target /run/secrets/netrc, pointed at with NETRC in the command', async () =>
    expect(await status(run('--mount=type=secret,id=netrc', 'NETRC=/run/secrets/netrc go mod download'))).toBe('pass'));
  it('target without id, the id taken from its file name, with ENV NETRC', async () =>
    expect(await status(run('--mount=type=secret,target=/run/secrets/netrc', 'go mod download', 'ENV NETRC=/run/secrets/netrc\n'))).toBe('pass'));
  it('copied to ~/.netrc and removed within the same RUN', async () =>
    expect(await status(run('--mount=type=secret,id=netrc', 'cp /run/secrets/netrc /root/.netrc && go mod download && rm /root/.netrc'))).toBe('pass'));
  it('env= used by the command (Dockerfile 1.10+), with a note on the syntax version', async () => {
    const out = await check(
      'dockerfile.secret-mount',
      run(
        '--mount=type=secret,id=netrc,env=GITHUB_TOKEN',
        `sh -c 'printf "machine github.com login x password %s\\n" "$GITHUB_TOKEN" > /root/.netrc && go mod download; rm -f /root/.netrc'`,
      ),
      LESSON,
    );
    expect(out.status).toBe('pass');
    expect(out.message.en).toContain('Dockerfile syntax 1.10');
  });
  it('lower-case keywords and a continued RUN line', async () =>
    expect(
      await status(
        'from golang:1.26 as build\nrun --mount=type=secret,id=netrc,target=/root/.netrc \\\n    go mod download\nfrom scratch\ncopy --from=build /go /go\n',
      ),
    ).toBe('pass'));
  it('without lesson params: any secret mount, an env-only one included', async () => {
    expect(await status(run('--mount=type=secret,id=goproxy,env=GOPROXY'), {})).toBe('pass');
    expect(await status(run('--mount=type=secret,id=goproxy,env=GOPROXY'), { id: 'goproxy' })).toBe('pass');
  });
});

describe('dockerfile.secret-mount: wrong forms fail with the reason', () => {
  it('no secret mount (the token still a build arg)', async () => {
    const out = await check('dockerfile.secret-mount', 'FROM golang:1.26\nARG GITHUB_TOKEN\nRUN go mod download\n', LESSON);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('No RUN uses --mount=type=secret');
  });
  it('another id', async () => {
    const out = await check('dockerfile.secret-mount', run('--mount=type=secret,id=github_token,target=/root/.netrc'), LESSON);
    expect(out).toMatchObject({ status: 'fail', line: 3 });
    expect(out.message.en).toContain('github_token');
  });
  it('target without id: the id is ".netrc", not "netrc"', async () => {
    const out = await check('dockerfile.secret-mount', run('--mount=type=secret,target=/root/.netrc'), LESSON);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('".netrc"');
    expect(out.message['zh-CN']).toContain('".netrc"');
  });
  it('mounted at /run/secrets/netrc where go never looks', async () => {
    const out = await check('dockerfile.secret-mount', run('--mount=type=secret,id=netrc'), LESSON);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain('at /run/secrets/netrc');
    expect(out.message.en).toContain('NETRC=/run/secrets/netrc');
  });
  it('required= before type=secret (BuildKit refuses it)', async () => {
    const out = await check('dockerfile.secret-mount', run('--mount=required=false,type=secret,id=netrc,target=/root/.netrc'), LESSON);
    expect(out.status).toBe('fail');
    expect(out.message.en).toContain("unexpected key 'required' for mount type 'bind'");
  });
  it('a mount in a stage the image never builds', async () => {
    const text = `FROM golang:1.26 AS unused\nRUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download\nFROM golang:1.26 AS build\nRUN go mod download\nFROM scratch\nCOPY --from=build /go /go\n`;
    expect(await status(text)).toBe('fail');
  });
  it('a type=bind mount named like the secret is no secret mount', async () =>
    expect(await status(run('--mount=type=bind,source=netrc,target=/root/.netrc'))).toBe('fail'));
});

describe('dockerfile.secret-mount: what it cannot know', () => {
  it('an env-only secret the command never names (the tool may read it itself)', async () =>
    expect(await status(run('--mount=type=secret,id=netrc,env=GITHUB_TOKEN'))).toBe('unknown'));
});
