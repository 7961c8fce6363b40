import { L, type Localized } from '../i18n.js';
import type { DockerCapabilities } from '../docker/session.js';
import { buildkitFeatures } from '../dockerfile/buildkit-features.js';
import type { DockerfileAnalysis } from '../dockerfile/types.js';
import { needsBuildkit } from './docker/measure.js';
import type { Need, SkipReason } from './types.js';

/** Why a Docker check cannot run on this machine: a one-line skip and the full story, reported once. */
export interface GateClosed {
  readonly reason: SkipReason;
  readonly short: Localized;
  readonly full: Localized;
}

/**
 * The one capability gate: Docker usable at all, then each feature the check needs. Nothing else
 * decides whether a Docker check may run (the driver only reports what it detected).
 */
export const gate = (caps: DockerCapabilities, needs: readonly Need[]): GateClosed | undefined => {
  if (!caps.available) {
    const problem = caps.problem;
    return {
      reason: 'docker-unavailable',
      short: L('Skipped: Docker is not usable.', '已跳过：Docker 不可用。'),
      full: problem
        ? L(`Docker is not usable: ${problem.message.en} ${problem.next.en}`, `Docker 不可用：${problem.message['zh-CN']}${problem.next['zh-CN']}`)
        : L('Docker is not usable. Find out why: npx learn-go-docker doctor', 'Docker 不可用。查看原因：npx learn-go-docker doctor'),
    };
  }
  if (needs.includes('buildkit') && caps.builder !== 'buildx' && caps.builder !== 'buildkit-env') {
    return {
      reason: 'needs-buildkit',
      short: L('Skipped: this check needs BuildKit.', '已跳过：这项检查需要 BuildKit。'),
      full: L(
        'Some checks need BuildKit, and your Docker only has the classic builder. Install the buildx plugin (Docker Desktop and docker-ce include it; on Debian/Ubuntu `apt install docker-buildx`), then verify again.',
        '有些检查需要 BuildKit，而你的 Docker 只有旧版构建器。请安装 buildx 插件（Docker Desktop 和 docker-ce 自带；Debian/Ubuntu 上 `apt install docker-buildx`），然后重新校验。',
      ),
    };
  }
  if (needs.includes('compose') && caps.compose === 'none') {
    return {
      reason: 'needs-compose',
      short: L('Skipped: this check needs Docker Compose.', '已跳过：这项检查需要 Docker Compose。'),
      full: L(
        'Some checks need Docker Compose (the `docker compose` plugin, or `docker-compose`), which was not found. Install it (Docker Desktop includes it; on Linux the docker-compose-plugin package), then verify again.',
        '有些检查需要 Docker Compose（`docker compose` 插件或 `docker-compose`），但没有找到。请安装（Docker Desktop 自带；Linux 上安装 docker-compose-plugin 软件包），然后重新校验。',
      ),
    };
  }
  return undefined;
};

/** On a classic-only Docker, a Dockerfile with BuildKit syntax cannot build: say so instead of trying. */
const classicGate = (caps: DockerCapabilities, analysis: DockerfileAnalysis | undefined): GateClosed | undefined => {
  if (caps.builder !== 'classic' || !analysis?.ok) return undefined;
  const features = buildkitFeatures(analysis);
  if (!features.length) return undefined;
  const blocked = needsBuildkit({ buildkitFeatures: features });
  return { reason: 'needs-buildkit', short: blocked.short, full: blocked.full };
};

/** Whether a Docker check can run here: the capabilities it needs, and a Dockerfile this Docker can build. */
export const dockerGate = (caps: DockerCapabilities, needs: readonly Need[], analysis: DockerfileAnalysis | undefined): GateClosed | undefined =>
  gate(caps, needs) ?? classicGate(caps, analysis);
