import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { L, type Localized } from '../i18n.js';
import { builderEnv } from '../docker/build.js';
import { dockerExec } from '../docker/exec.js';
import { LABEL, labelArgs, sessionLabels } from '../docker/labels.js';
import { containerLimitArgs } from '../docker/limits.js';
import type { DockerCapabilities } from '../docker/session.js';
import type { SwarmInfo } from '../docker/swarm.js';
import type { DoctorItem } from './types.js';

const title = {
  cli: L('Docker CLI', 'Docker 命令行'),
  daemon: L('Docker daemon', 'Docker 守护进程'),
  permission: L('Permission to use Docker', '使用 Docker 的权限'),
  buildRun: L('Build and run a container', '构建并运行容器'),
  buildkit: L('BuildKit', 'BuildKit'),
  compose: L('Docker Compose', 'Docker Compose'),
};

export const cliItem = (caps: DockerCapabilities): DoctorItem => {
  if (caps.clientVersion || caps.daemonReachable) {
    const flavour = caps.flavour === 'podman' ? L(' (Podman answering as docker)', '（Podman 冒充 docker）') : L('', '');
    return {
      id: 'docker-cli',
      title: title.cli,
      status: caps.flavour === 'podman' ? 'warn' : 'ok',
      message: L(`${caps.binary} ${caps.clientVersion ?? ''}${flavour.en}`, `${caps.binary} ${caps.clientVersion ?? ''}${flavour['zh-CN']}`),
      fix:
        caps.flavour === 'podman'
          ? L(
              'Podman mostly works, but build output and compose differ; Docker Engine or Docker Desktop is what the lessons are tested with.',
              'Podman 大体可用，但构建输出和 compose 有差异；课程是用 Docker Engine 或 Docker Desktop 测试的。',
            )
          : undefined,
      details: { binary: caps.binary, version: caps.clientVersion ?? null },
    };
  }
  return {
    id: 'docker-cli',
    title: title.cli,
    status: 'fail',
    blocking: true,
    message: caps.problem?.message ?? L('The docker command was not found.', '找不到 docker 命令。'),
    fix: caps.problem?.next,
  };
};

export const daemonItem = (caps: DockerCapabilities): DoctorItem => {
  const where = caps.dockerHost ? `DOCKER_HOST=${caps.dockerHost}` : `context ${caps.context ?? 'default'}`;
  if (caps.daemonReachable) {
    return {
      id: 'daemon',
      title: title.daemon,
      status: caps.serverOs && caps.serverOs !== 'linux' ? 'fail' : 'ok',
      blocking: Boolean(caps.serverOs && caps.serverOs !== 'linux'),
      message: L(
        `Docker Engine ${caps.serverVersion} (${caps.serverOs ?? 'linux'}/${caps.arch ?? '?'}), ${where}.`,
        `Docker Engine ${caps.serverVersion}（${caps.serverOs ?? 'linux'}/${caps.arch ?? '?'}），${where}。`,
      ),
      fix: caps.serverOs && caps.serverOs !== 'linux' ? L('Switch Docker Desktop to Linux containers.', '请把 Docker Desktop 切换到 Linux 容器。') : undefined,
      details: { serverVersion: caps.serverVersion ?? null, context: caps.context ?? null, dockerHost: caps.dockerHost ?? null },
    };
  }
  if (!caps.clientVersion) {
    return { id: 'daemon', title: title.daemon, status: 'fail', blocking: true, message: L('Not checked: no docker CLI.', '未检查：没有 docker 命令。') };
  }
  return {
    id: 'daemon',
    title: title.daemon,
    status: 'fail',
    blocking: true,
    message: caps.permissionDenied
      ? L(`The daemon exists but refused the connection (${where}).`, `守护进程存在但拒绝了连接（${where}）。`)
      : (caps.problem?.message ?? L('Not reachable.', '无法连接。')),
    fix: caps.problem?.next,
    details: { context: caps.context ?? null, dockerHost: caps.dockerHost ?? null },
  };
};

export const permissionItem = (caps: DockerCapabilities): DoctorItem =>
  caps.permissionDenied
    ? {
        id: 'permission',
        title: title.permission,
        status: 'fail',
        blocking: true,
        message: caps.problem?.message ?? L('Permission denied.', '权限不足。'),
        fix: caps.problem?.next,
      }
    : {
        id: 'permission',
        title: title.permission,
        status: caps.daemonReachable ? 'ok' : 'warn',
        message: caps.daemonReachable
          ? L(
              `This user may use Docker${/rootless/.test(caps.dockerHost ?? '') || /\/run\/user\//.test(caps.dockerHost ?? '') ? ' (rootless)' : ''}.`,
              `当前用户可以使用 Docker${/\/run\/user\//.test(caps.dockerHost ?? '') ? '（rootless）' : ''}。`,
            )
          : L('Not checked: the daemon is not reachable.', '未检查：无法连接守护进程。'),
      };

export const buildkitItem = (caps: DockerCapabilities): DoctorItem => {
  if (caps.builder === 'buildx') {
    return {
      id: 'buildkit',
      title: title.buildkit,
      status: 'ok',
      message: L(`BuildKit through buildx ${caps.buildxVersion ?? ''}.`, `通过 buildx ${caps.buildxVersion ?? ''} 使用 BuildKit。`),
      details: { builder: caps.builder },
    };
  }
  if (caps.builder === 'buildkit-env') {
    return {
      id: 'buildkit',
      title: title.buildkit,
      status: 'ok',
      message: L(
        `BuildKit built into docker ${caps.clientVersion} (enabled with DOCKER_BUILDKIT=1; the runner sets it).`,
        `docker ${caps.clientVersion} 内置 BuildKit（通过 DOCKER_BUILDKIT=1 启用；运行器会自动设置）。`,
      ),
      details: { builder: caps.builder },
    };
  }
  if (caps.builder === 'none')
    return { id: 'buildkit', title: title.buildkit, status: 'warn', message: L('Not checked: Docker is not usable.', '未检查：Docker 不可用。') };
  return {
    id: 'buildkit',
    title: title.buildkit,
    status: 'warn',
    message: L(
      'Only the classic builder: lessons with cache mounts or build secrets (RUN --mount) will report their checks as skipped, and builds are slower.',
      '只有旧版构建器：使用缓存挂载或构建机密（RUN --mount）的课程，其检查会被标为跳过，而且构建更慢。',
    ),
    fix: L(
      'Install the buildx plugin (Docker Desktop and docker-ce include it; Debian/Ubuntu: apt install docker-buildx).',
      '请安装 buildx 插件（Docker Desktop 和 docker-ce 自带；Debian/Ubuntu：apt install docker-buildx）。',
    ),
    details: { builder: caps.builder },
  };
};

export const composeItem = (caps: DockerCapabilities): DoctorItem => {
  if (caps.compose === 'v2')
    return {
      id: 'compose',
      title: title.compose,
      status: 'ok',
      message: L(`docker compose ${caps.composeVersion ?? ''}.`, `docker compose ${caps.composeVersion ?? ''}。`),
    };
  const fix = L(
    'Install Compose v2 (Docker Desktop includes it; Linux: the docker-compose-plugin package).',
    '请安装 Compose v2（Docker Desktop 自带；Linux：docker-compose-plugin 软件包）。',
  );
  if (caps.compose === 'v1') {
    return {
      id: 'compose',
      title: title.compose,
      status: 'warn',
      message: L(
        `Only docker-compose ${caps.composeVersion ?? 'v1'} (end of life); the compose lesson uses it but it is slower and older.`,
        `只有 docker-compose ${caps.composeVersion ?? 'v1'}（已停止维护）；compose 课程可以使用它，但它更慢、更旧。`,
      ),
      fix,
    };
  }
  return {
    id: 'compose',
    title: title.compose,
    status: 'warn',
    message: L('No Docker Compose: the compose lesson will report its check as skipped.', '没有 Docker Compose：compose 课程的检查会被标为跳过。'),
    fix,
  };
};

/** A tiny labelled build (FROM scratch + one file) and a `docker run --rm` of a local base with a shell. */
export const buildRunItem = async (caps: DockerCapabilities, shellImage: string | undefined, signal?: AbortSignal): Promise<DoctorItem> => {
  const dir = await mkdtemp(join(tmpdir(), 'learn-go-docker-doctor-'));
  const tag = `learn-go-docker/doctor:${process.pid}`;
  try {
    await writeFile(join(dir, 'hello.txt'), 'hello\n');
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
    const t0 = Date.now();
    const build = await dockerExec(['build', '-q', '-t', tag, ...labelArgs({ [LABEL]: '1' }), dir], { timeoutMs: 120_000, signal, env: builderEnv(caps) });
    if (build.exitCode !== 0) {
      return {
        id: 'build-run',
        title: title.buildRun,
        status: 'fail',
        blocking: true,
        message: L(
          `A one-file build failed: ${build.stderr.trim().split('\n').pop() ?? ''}`,
          `一个只含一个文件的构建失败了：${build.stderr.trim().split('\n').pop() ?? ''}`,
        ),
        fix: L(
          'Check `docker build` works in a terminal; on Docker Desktop, restart it.',
          '请在终端中确认 `docker build` 可用；使用 Docker Desktop 时请重启它。',
        ),
      };
    }
    const buildMs = Date.now() - t0;
    if (!shellImage) {
      return {
        id: 'build-run',
        title: title.buildRun,
        status: 'warn',
        message: L(
          `Built a test image in ${buildMs} ms; no local base image with a shell to run a container from yet.`,
          `测试镜像构建用时 ${buildMs} 毫秒；本地还没有带 shell 的基础镜像可用来运行容器。`,
        ),
        details: { buildMs },
      };
    }
    const t1 = Date.now();
    const run = await dockerExec(
      ['run', '--rm', ...labelArgs(sessionLabels(`doctor-${process.pid}`)), ...containerLimitArgs({}, caps.cpuQuota), '--entrypoint', 'true', shellImage],
      { timeoutMs: 60_000, signal },
    );
    const runMs = Date.now() - t1;
    if (run.exitCode !== 0) {
      return {
        id: 'build-run',
        title: title.buildRun,
        status: 'fail',
        blocking: true,
        message: L(
          `Running a container from ${shellImage} failed: ${run.stderr.trim().split('\n').pop() ?? ''}`,
          `用 ${shellImage} 运行容器失败：${run.stderr.trim().split('\n').pop() ?? ''}`,
        ),
        fix: L(
          'Check `docker run --rm hello-world` works; on Linux check the docker service logs.',
          '请确认 `docker run --rm hello-world` 可用；Linux 上请查看 docker 服务日志。',
        ),
      };
    }
    return {
      id: 'build-run',
      title: title.buildRun,
      status: 'ok',
      message: L(`Built a test image in ${buildMs} ms and ran a container in ${runMs} ms.`, `测试镜像构建用时 ${buildMs} 毫秒，运行容器用时 ${runMs} 毫秒。`),
      details: { buildMs, runMs },
    };
  } finally {
    await dockerExec(['image', 'rm', '-f', tag]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
};

export const swarmTitle = L("Swarm mode (Docker's own orchestrator)", 'Swarm 模式（Docker 自带的编排器）');

/**
 * Swarm mode, read and never changed: Docker Engine's own orchestrator runs services with rolling
 * updates on one machine. Never a fail: only lessons that need it are affected.
 */
export const swarmItem = (caps: DockerCapabilities, info: SwarmInfo | undefined): DoctorItem => {
  const warn = (message: Localized, fix?: Localized): DoctorItem => ({
    id: 'swarm',
    title: swarmTitle,
    status: 'warn',
    message,
    ...(fix ? { fix } : {}),
    details: { state: info?.state ?? null, manager: info?.manager ?? null },
  });
  if (caps.flavour === 'podman') return warn(L('Podman has no swarm mode.', 'Podman 没有 swarm 模式。'));
  if (!info) return warn(L('docker info did not say whether swarm mode is available.', 'docker info 没有说明 swarm 模式是否可用。'));
  if (info.rootless) {
    return warn(
      L(
        'A rootless engine has no overlay networks, so swarm services cannot reach each other.',
        'rootless 引擎没有 overlay 网络，swarm 服务之间无法互相访问。',
      ),
      L(
        'Use a Docker engine that runs as root (Docker Desktop, or docker-ce on Linux).',
        '请使用以 root 运行的 Docker 引擎（Docker Desktop，或 Linux 上的 docker-ce）。',
      ),
    );
  }
  const ok = (message: Localized): DoctorItem => ({
    id: 'swarm',
    title: swarmTitle,
    status: 'ok',
    message,
    details: { state: info.state, manager: info.manager },
  });
  if (info.state === 'inactive') {
    return ok(
      L(
        'Off. docker swarm init --advertise-addr 127.0.0.1 turns it on, docker swarm leave --force off again.',
        '已关闭。docker swarm init --advertise-addr 127.0.0.1 可以打开它，docker swarm leave --force 可以再关闭。',
      ),
    );
  }
  if (info.state === 'active' && info.manager)
    return ok(L('On, and this engine is a manager: services can run here.', '已打开，并且这个引擎是管理节点：可以在这里运行服务。'));
  if (info.state === 'active') {
    return warn(
      L('On, but this engine is a worker: services are created on a manager.', '已打开，但这个引擎是工作节点：服务要在管理节点上创建。'),
      L('Run the lessons against a manager, or leave that swarm: docker swarm leave.', '请在管理节点上进行这些课程，或者退出那个 swarm：docker swarm leave。'),
    );
  }
  if (info.state === 'locked') {
    return warn(
      L('On, but locked (autolock after a restart).', '已打开，但被锁定了（重启后自动上锁）。'),
      L('Unlock it: docker swarm unlock', '请解锁：docker swarm unlock'),
    );
  }
  const error = info.error ? `: ${info.error}` : '';
  return warn(
    L(`In state ${info.state}${error}.`, `处于 ${info.state} 状态${error}。`),
    L('Look at docker info; docker swarm leave --force resets it.', '请查看 docker info；docker swarm leave --force 可以重置它。'),
  );
};
