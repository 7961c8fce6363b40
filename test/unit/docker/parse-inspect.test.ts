import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContainerInspect, parseHistory, parseImageInspect, parseTopUids, portNumber } from '../../../src/engine/docker/parse-inspect.js';
import { classifyDaemonError, clientHasBuiltinBuildkit, parseComposeVersion, parseVersionJson } from '../../../src/engine/docker/parse-version.js';

const recorded = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'docker', 'recorded', name), 'utf8');

describe('image inspect', () => {
  it('reads the config fields checks rely on', () => {
    const image = parseImageInspect(recorded('image-inspect.json'));
    expect(image.size).toBe(6602914);
    expect(image.user).toBe('65532');
    expect(image.entrypoint).toEqual(['/server']);
    expect(image.cmd).toBeNull();
    expect(image.exposedPorts).toEqual(['8080/tcp']);
    expect(image.env).toContain('GIN_MODE=release');
    expect(image.labels['learn-go-docker']).toBe('1');
    expect(image.healthcheck).toBeNull();
    expect(image.architecture).toBe('amd64');
  });
  it('treats HEALTHCHECK NONE as no healthcheck', () => {
    const image = parseImageInspect(JSON.stringify([{ Id: 'x', Config: { Healthcheck: { Test: ['NONE'] } } }]));
    expect(image.healthcheck).toBeNull();
  });
});

describe('container inspect', () => {
  it('reads state and health log', () => {
    const state = parseContainerInspect(recorded('container-inspect-healthy.json'));
    expect(state.running).toBe(true);
    expect(state.exitCode).toBeNull();
    expect(state.health).toBe('starting');
    expect(state.healthLog[0]?.output).toContain('/bin/sh');
  });
  it('reads the exit code of a stopped container', () => {
    const state = parseContainerInspect(JSON.stringify([{ Id: 'c', State: { Status: 'exited', Running: false, ExitCode: 137, OOMKilled: false } }]));
    expect(state.exitCode).toBe(137);
    expect(state.status).toBe('exited');
  });
});

describe('top, port, history, version', () => {
  it('reads uids from docker top -eo uid,pid', () => {
    expect(parseTopUids(recorded('top-uid-pid.txt'))).toEqual([65532]);
    expect(parseTopUids('UID   PID\n0     123\n1000  456\n')).toEqual([0, 1000]);
  });
  it('reads exposed port names', () => {
    expect(portNumber('8080/tcp')).toBe(8080);
    expect(portNumber('53/udp')).toBeUndefined();
  });
  it('reads history json lines', () => {
    const entries = parseHistory('{"CreatedBy":"RUN |1 API_KEY=x /bin/sh -c true","Size":"12","Comment":"buildkit.dockerfile.v0"}\n');
    expect(entries).toEqual([{ createdBy: 'RUN |1 API_KEY=x /bin/sh -c true', size: 12, comment: 'buildkit.dockerfile.v0' }]);
  });
  it('reads docker version JSON, with and without a server', () => {
    const up = parseVersionJson(
      '{"Client":{"Version":"20.10.24+dfsg1","Context":"default"},"Server":{"Version":"20.10.24+dfsg1","Os":"linux","Arch":"amd64","Components":[{"Name":"Engine"}]}}',
    );
    expect(up).toMatchObject({ clientVersion: '20.10.24+dfsg1', serverVersion: '20.10.24+dfsg1', arch: 'amd64' });
    const down = parseVersionJson('{"Client":{"Version":"28.2.2"},"Server":null}');
    expect(down.serverVersion).toBeUndefined();
    expect(parseVersionJson('{"Client":{"Version":"4.9.3","Podman":true},"Server":null}').flavour).toBe('podman');
    expect(clientHasBuiltinBuildkit('20.10.24+dfsg1')).toBe(true);
    expect(clientHasBuiltinBuildkit('28.2.2')).toBe(false);
    expect(parseComposeVersion('Docker Compose version v2.40.3')).toBe('2.40.3');
    expect(parseComposeVersion('docker-compose version 1.29.2, build unknown')).toBe('1.29.2');
    expect(classifyDaemonError('permission denied while trying to connect to the Docker daemon socket')).toBe('permission');
    expect(classifyDaemonError('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?')).toBe('not-running');
  });
});
