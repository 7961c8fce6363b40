/**
 * Pure, incremental parsing of `docker build` output: BuildKit `--progress=plain` ("#N ..." lines)
 * and the classic builder ("Step N/M : ..."; Podman's "STEP N/M: ..."). Feed lines as they arrive.
 */

export interface ParsedStep {
  /** "#5" for BuildKit, "3/7" for classic. */
  readonly key: string;
  /** "[builder 3/7] RUN go mod download" (BuildKit) or "[3/7] RUN go mod download" (classic). */
  readonly name: string;
  /** true for Dockerfile instructions (not "[internal] ...", "exporting to image"...). */
  readonly instruction: boolean;
  cached: boolean;
  durationMs?: number;
  error?: string;
  readonly lines: string[];
  readonly startedAt: number;
}

export interface ParsedBuild {
  readonly steps: readonly ParsedStep[];
  /** The step that failed, when one did. */
  readonly failedStep?: ParsedStep;
  /** Lines after the steps (BuildKit's error summary, the classic builder's error). */
  readonly trailer: readonly string[];
  /** Image id from classic "Successfully built <id>" or BuildKit "writing image sha256:..." */
  readonly imageId?: string;
}

const MAX_LINES_PER_STEP = 200;
const BK_LINE = /^#(\d+) (.*)$/;
const BK_TIMED = /^(\d+\.\d+) (.*)$/;
const BK_DONE = /^DONE (\d+(?:\.\d+)?)s$/;
const CLASSIC_STEP = /^(?:Step|STEP) (\d+\/\d+)\s?: ?(.*)$/;
const INSTRUCTION_NAME = /^\[(?:[\w.-]+ )?\d+\/\d+\] /;

export class BuildOutputParser {
  private readonly steps: ParsedStep[] = [];
  private readonly byKey = new Map<string, ParsedStep>();
  private readonly trailer: string[] = [];
  private current: ParsedStep | undefined;
  private imageId: string | undefined;
  private mode: 'unknown' | 'buildkit' | 'classic' = 'unknown';

  constructor(private readonly now: () => number = Date.now) {}

  /** Parses one line; returns the step it started, if it started one (for live progress). */
  push(rawLine: string): ParsedStep | undefined {
    const line = rawLine.replace(/\r$/, '');
    const bk = BK_LINE.exec(line);
    if (bk && this.mode !== 'classic') {
      this.mode = 'buildkit';
      return this.pushBuildkit(`#${bk[1]}`, bk[2] ?? '');
    }
    const classic = CLASSIC_STEP.exec(line);
    if (classic && this.mode !== 'buildkit') {
      this.mode = 'classic';
      return this.startClassic(classic[1] ?? '', classic[2] ?? '');
    }
    if (this.mode === 'classic') this.pushClassic(line);
    else if (line.trim() && !isClassicNoise(line)) this.trailer.push(line);
    return undefined;
  }

  result(): ParsedBuild {
    const failedStep = this.steps.find((step) => step.error !== undefined);
    return { steps: this.steps, failedStep, trailer: this.trailer, imageId: this.imageId };
  }

  /** The classic builder does not say which step failed: the last one that never finished did. */
  markClassicFailure(message: string): void {
    const last = this.steps[this.steps.length - 1];
    if (last && last.durationMs === undefined && last.error === undefined) last.error = message;
  }

  private addStep(key: string, name: string): ParsedStep {
    const step: ParsedStep = { key, name, instruction: INSTRUCTION_NAME.test(name), cached: false, lines: [], startedAt: this.now() };
    this.steps.push(step);
    this.byKey.set(key, step);
    return step;
  }

  private pushBuildkit(key: string, text: string): ParsedStep | undefined {
    const step = this.byKey.get(key);
    if (!step) return this.addStep(key, text);
    if (text === step.name || text.startsWith('sha256:')) return undefined;
    if (text === 'CACHED') step.cached = true;
    else if (BK_DONE.test(text)) step.durationMs = Math.round(Number(BK_DONE.exec(text)?.[1]) * 1000);
    else if (text.startsWith('ERROR:') || text.startsWith('ERROR ')) step.error = text.replace(/^ERROR:?\s*/, '');
    else if (text === 'CANCELED') step.error ??= 'canceled';
    else {
      const timed = BK_TIMED.exec(text);
      const written = /writing image (sha256:[0-9a-f]{64})/.exec(text);
      if (written) this.imageId = written[1];
      appendLine(step, timed ? (timed[2] ?? '') : text);
    }
    return undefined;
  }

  private startClassic(counter: string, instruction: string): ParsedStep {
    this.finishCurrent();
    const step = this.addStep(counter, `[${counter}] ${instruction}`);
    this.current = step;
    return step;
  }

  private finishCurrent(): void {
    if (this.current && this.current.durationMs === undefined) this.current.durationMs = this.now() - this.current.startedAt;
  }

  private pushClassic(line: string): void {
    const trimmed = line.trim();
    const built = /^Successfully built ([0-9a-f]+)/.exec(trimmed);
    if (built) {
      this.finishCurrent();
      this.current = undefined;
      this.imageId = built[1];
      return;
    }
    const step = this.current;
    if (!step) {
      if (trimmed && !isClassicNoise(line)) this.trailer.push(line);
      return;
    }
    if (/^-+> Using cache$/.test(trimmed) || /^--> Using cache/.test(trimmed)) {
      step.cached = true;
      return;
    }
    if (/^-+> Running in [0-9a-f]+$/.test(trimmed) || /^Removing intermediate container/.test(trimmed)) return;
    if (/^-+> [0-9a-f]{6,}$/.test(trimmed) || /^---> ?$/.test(trimmed) || /^COMMIT\b/.test(trimmed)) {
      this.finishCurrent();
      return;
    }
    if (/^Successfully tagged/.test(trimmed) || isClassicNoise(line)) return;
    if (step.durationMs !== undefined) {
      // After the step finished: build-level messages (e.g. the error of the next instruction's setup).
      if (trimmed) this.trailer.push(line);
      return;
    }
    appendLine(step, line);
  }
}

/** The classic builder's deprecation notice and context upload line: never useful to a learner. */
export const isClassicNoise = (line: string): boolean =>
  /^Sending build context|^DEPRECATED:|^\s{4,}(Install the buildx|BuildKit is currently disabled|environment-variable\.|https:\/\/docs\.docker\.com\/go\/buildx)/.test(
    line,
  );

const appendLine = (step: ParsedStep, line: string): void => {
  step.lines.push(line);
  if (step.lines.length > MAX_LINES_PER_STEP) step.lines.splice(0, step.lines.length - MAX_LINES_PER_STEP);
};

/** Parses a whole recorded output (tests, or a finished build). */
export const parseBuildOutput = (text: string, options: { failed?: boolean } = {}): ParsedBuild => {
  let clock = 0;
  const parser = new BuildOutputParser(() => clock++);
  for (const line of text.split('\n')) parser.push(line);
  if (options.failed) {
    const { steps, trailer } = parser.result();
    const last = steps[steps.length - 1];
    parser.markClassicFailure(lastMeaningful(trailer) ?? lastMeaningful(last?.lines ?? []) ?? 'build failed');
  }
  return parser.result();
};

const lastMeaningful = (lines: readonly string[]): string | undefined => [...lines].reverse().find((line) => line.trim() && !/^-+$/.test(line.trim()));

/** The lines a learner needs to see for a failed build: the failing step's last output + the error. */
export const failureTail = (parsed: ParsedBuild, max = 15): string[] => {
  const step = parsed.failedStep;
  const errorLines = parsed.trailer
    .filter((line) => line.trim() && !/^-+$/.test(line.trim()) && !/^\s*> \[/.test(line))
    .filter((line) => !step?.error || !line.includes(step.error))
    .filter((line) => !/^\s*\d+ \|/.test(line) && !/^Dockerfile:\d+$/.test(line.trim()));
  const stepLines = step ? step.lines.filter((line) => line.trim()) : [];
  const errorLine = step?.error && !stepLines.some((line) => line.includes(step.error ?? '')) ? [`ERROR: ${step.error}`] : [];
  const combined = [...stepLines, ...errorLine, ...errorLines.filter((line) => !stepLines.includes(line))];
  const unique = combined.filter((line, index) => index === 0 || line !== combined[index - 1]);
  return unique.slice(-max);
};
