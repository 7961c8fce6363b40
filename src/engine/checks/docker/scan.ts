import { s } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, pass, quoteLines, unknown } from '../outcome.js';
import { lessonImage } from './measure.js';
import { parseScanReport, SEVERITIES, type Vulnerability } from './scan-report.js';

/** What a scan measured: which scanner ran (none: null) and what it reported. */
export interface ScanMeasurement {
  readonly scanner: 'trivy' | 'grype' | null;
  readonly timedOut?: boolean;
  /** Its report, parsed; null when it printed no report (a database it could not fetch). */
  readonly vulnerabilities?: readonly Vulnerability[] | null;
  readonly stderrTail?: readonly string[];
}

const NAMES = { trivy: 'Trivy', grype: 'Grype' } as const;
const rank = (v: Vulnerability): number => SEVERITIES.indexOf(v.severity);

/**
 * The image scanned for known vulnerabilities by the learner's own Trivy or Grype. The course
 * installs neither and their databases change daily, so without one the verdict is unknown (never
 * a failure); with one, a vulnerability of the given severities that has a released fix fails: the
 * fix is one rebuild away (a newer base digest, Go release or module).
 */
export const imageScan = defineCheck({
  id: 'image.scan',
  kind: 'docker',
  title: L('The image has no known vulnerability with a fix', '镜像中没有已有修复的已知漏洞'),
  params: s.object({ severities: s.array(s.enum(SEVERITIES)).min(1).default(['CRITICAL', 'HIGH']) }),
  measure: async (ctx): Promise<ScanMeasurement> => {
    const { id } = await lessonImage(ctx);
    const run = ctx.docker.scanImage ? await ctx.docker.scanImage(id) : null;
    if (!run) return { scanner: null };
    const vulnerabilities = run.timedOut ? null : (parseScanReport(run.scanner, run.stdout) ?? null);
    return { scanner: run.scanner, timedOut: run.timedOut, vulnerabilities, stderrTail: vulnerabilities ? [] : run.stderrTail };
  },
  judge: (m, params) => {
    if (m.scanner === null) {
      return unknown(
        L(
          'No image scanner on this machine (trivy or grype on PATH), so the image was not scanned; the lesson does not need one. Install Trivy or Grype and verify again to see its known vulnerabilities, or run one in CI.',
          '这台机器上没有镜像扫描器（PATH 中没有 trivy 或 grype），所以没有扫描镜像；这一课不需要它。安装 Trivy 或 Grype 后再校验一次就能看到镜像的已知漏洞，也可以在 CI 中运行。',
        ),
      );
    }
    const name = NAMES[m.scanner];
    if (!m.vulnerabilities) {
      const why = quoteLines(m.stderrTail ?? []);
      return unknown(
        m.timedOut
          ? L(`${name} did not finish within 10 minutes: the image was not scanned.`, `${name} 在 10 分钟内没有完成：镜像没有被扫描。`)
          : L(
              `${name} printed no report (its vulnerability database needs the internet on its first run), so the image was not scanned${why ? `:${why}` : '.'}`,
              `${name} 没有输出报告（它第一次运行时需要联网下载漏洞数据库），所以镜像没有被扫描${why ? `：${why}` : '。'}`,
            ),
      );
    }
    const asked = new Set<string>(params.severities);
    const fixable = m.vulnerabilities.filter((v) => asked.has(v.severity) && v.fixed !== null).sort((a, b) => rank(a) - rank(b));
    const levels = params.severities.join(' or ');
    const levelsZh = params.severities.join(' 或 ');
    const measured = { vulnerabilities: m.vulnerabilities.length, fixable: fixable.length };
    if (fixable.length) {
      const shown = fixable.slice(0, 5);
      const lines = shown.map((v) => `${v.severity} ${v.id}: ${v.pkg} ${v.installed}, fixed in ${v.fixed ?? ''}`);
      const linesZh = shown.map((v) => `${v.severity} ${v.id}：${v.pkg} ${v.installed}，已在 ${v.fixed ?? ''} 修复`);
      const more = fixable.length > 5 ? L(` (and ${fixable.length - 5} more)`, `（另有 ${fixable.length - 5} 个）`) : L('', '');
      return fail(
        L(
          `${name} found ${fixable.length} ${levels} ${fixable.length === 1 ? 'vulnerability' : 'vulnerabilities'} with a released fix${more.en}:${quoteLines(lines)}\nEach is one rebuild away: a package of the base image gets the base's newer digest (docker pull, pin it again), stdlib a newer Go image, a Go module go get MODULE@VERSION and go mod tidy.`,
          `${name} 发现了 ${fixable.length} 个已发布修复的 ${levelsZh} 级漏洞${more['zh-CN']}：${quoteLines(linesZh)}\n每一个都只差一次重新构建：基础镜像里的软件包靠基础镜像更新的摘要（docker pull 后重新固定），stdlib 靠更新的 Go 镜像，Go 模块靠 go get 模块@版本 再 go mod tidy。`,
        ),
        measured,
      );
    }
    const unfixed = m.vulnerabilities.filter((v) => asked.has(v.severity)).length;
    return pass(
      L(
        `${name} found no ${levels} vulnerability with a released fix (${m.vulnerabilities.length} known in all${unfixed ? `, ${unfixed} of them ${levels} without a fix yet` : ''}).`,
        `${name} 没有发现已发布修复的 ${levelsZh} 级漏洞（共 ${m.vulnerabilities.length} 个已知漏洞${unfixed ? `，其中 ${unfixed} 个 ${levelsZh} 级尚无修复` : ''}）。`,
      ),
      measured,
    );
  },
});
