import { jsonForm } from './instruction.js';
import type { EvalInstruction, Model } from './model.js';
import { stageChain } from './stages.js';
import { splitWords, unquote } from './words.js';

/** Shell text a RUN executes: its arguments and heredoc bodies. */
export const runText = (instr: EvalInstruction): string => [instr.args, ...instr.heredocs.map((doc) => doc.content)].join('\n');

const goCommand = (sub: string): RegExp => new RegExp(`(^|[\\s;&|(\`'"])go\\s+(${sub})\\b`);
const GO_BUILD = goCommand('build|install');
const GO_ANY = goCommand('[a-z]+');
const GO_DOWNLOAD = goCommand('mod\\s+download');
export const GO_TEST = goCommand('test');

export const isGoBuild = (instr: EvalInstruction): boolean => instr.keyword === 'RUN' && GO_BUILD.test(runText(instr));
export const isGoTest = (instr: EvalInstruction): boolean => instr.keyword === 'RUN' && GO_TEST.test(runText(instr));

const DEPS_FILES = new Set(['go.mod', 'go.sum', 'go.work', 'go.work.sum', 'go.*']);
const isDepsFile = (path: string): boolean => DEPS_FILES.has(path.split('/').pop() ?? '');

/** Source paths of a COPY/ADD (the last word is the destination). */
export const copySources = (instr: EvalInstruction, escape: string): string[] => {
  const form = jsonForm(instr.args);
  const words = form.kind === 'exec' ? [...form.values] : splitWords(instr.args, escape).map((w) => unquote(w, escape));
  return words.slice(0, -1);
};

const mountOptions = (instr: EvalInstruction): Record<string, string>[] =>
  instr.flags
    .filter((f) => f.name === 'mount' && f.value)
    .map((f) =>
      Object.fromEntries(
        (f.value ?? '').split(',').map((kv) => {
          const eq = kv.indexOf('=');
          return eq < 0 ? [kv.trim(), ''] : [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
        }),
      ),
    );

/** Bind mounts of the build context: only go.mod/go.sum (a dependency step), or everything (the source). */
const bindKind = (instr: EvalInstruction): 'deps' | 'source' | null => {
  const binds = mountOptions(instr).filter((m) => (m.type ?? 'bind') === 'bind' && !m.from);
  if (binds.length === 0) return null;
  return binds.every((m) => isDepsFile(m.source ?? m.src ?? '.')) ? 'deps' : 'source';
};

export interface DepsVerdict {
  readonly value: boolean | null;
  /** Line where the source arrives before the dependencies were downloaded (or of the go build without a download step). */
  readonly line: number | null;
  /** `source-first`: the source is copied before the download; `no-download`: no separate download step at all. */
  readonly reason: 'source-first' | 'no-download' | null;
}

/** Is the dependency download cached apart from the source, in the stages that run `go build`? */
export const depsBeforeSource = (model: Model): DepsVerdict => {
  const builders = model.stages.filter((s) => s.instructions.some(isGoBuild));
  if (builders.length === 0) return { value: null, line: null, reason: null };
  for (const stage of builders) {
    let depsCopied = false;
    let depsReady = false;
    for (const instr of stageChain(model, stage.index).flatMap((s) => s.instructions)) {
      let sourceArrives = false;
      if ((instr.keyword === 'COPY' || instr.keyword === 'ADD') && !instr.from && instr.heredocs.length === 0) {
        const sources = copySources(instr, model.escape);
        if (sources.length > 0 && sources.every(isDepsFile)) depsCopied = true;
        else sourceArrives = true;
      }
      if (instr.keyword === 'RUN') {
        const text = runText(instr);
        const bind = bindKind(instr);
        if (depsCopied && GO_ANY.test(text) && bind !== 'source') depsReady = true;
        if (bind === 'deps' && GO_DOWNLOAD.test(text)) depsReady = true;
        if (bind === 'source') sourceArrives = true;
      }
      if (sourceArrives && !depsReady) return { value: false, line: instr.line, reason: 'source-first' };
      if (isGoBuild(instr)) break;
    }
    if (!depsReady) return { value: false, line: stage.instructions.find(isGoBuild)?.line ?? stage.line, reason: 'no-download' };
  }
  return { value: true, line: null, reason: null };
};

export interface CgoVerdict {
  readonly value: boolean | null;
  readonly line: number | null;
}

const INLINE_CGO = /\bCGO_ENABLED=["']?(\w*)/g;

const fromText = (value: string | undefined): boolean | null => (value === '0' ? true : value === '1' ? false : null);

/** CGO_ENABLED where Go builds: ENV/ARG of the stage, or inline (`CGO_ENABLED=0 go build`, `env ...`, `export ...`). */
export const cgoDisabled = (model: Model): CgoVerdict => {
  const runs = model.all.filter(isGoBuild);
  if (runs.length === 0) {
    const declared = model.all.flatMap((i) => i.properties ?? []).filter((p) => p.name === 'CGO_ENABLED' && p.value?.known);
    const last = declared[declared.length - 1];
    return { value: fromText(last?.value?.text), line: null };
  }
  const verdicts = runs.map((instr) => {
    const inline = [...runText(instr).matchAll(INLINE_CGO)].pop()?.[1];
    const declared = instr.cgo?.kind === 'set' ? instr.cgo.value : undefined;
    return { value: fromText(inline ?? declared), line: instr.line };
  });
  const enabled = verdicts.find((v) => v.value === false);
  if (enabled) return enabled;
  if (verdicts.every((v) => v.value === true)) return { value: true, line: null };
  return { value: null, line: verdicts.find((v) => v.value === null)?.line ?? null };
};
