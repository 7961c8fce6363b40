import { jsonForm } from './instruction.js';
import type { EvalInstruction, Model } from './model.js';
import { chainInstructions, stageChain } from './stages.js';
import { splitWords, unquote } from './words.js';

/** Shell text a RUN executes: its arguments and heredoc bodies (the model's instructions and the analysis' alike). */
export const runText = (instr: { readonly args: string; readonly heredocs: readonly { readonly content: string }[] }): string =>
  [instr.args, ...instr.heredocs.map((doc) => doc.content)].join('\n');

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

/** Where Go keeps downloaded modules when a RUN runs: GOMODCACHE, else $GOPATH/pkg/mod, else the defaults (/go in the golang image, $HOME/go elsewhere). */
const moduleCacheDirs = (model: Model, stageIndex: number, before: EvalInstruction): string[] => {
  let modcache: string | undefined;
  let gopath: string | undefined;
  for (const instr of chainInstructions(model, stageIndex)) {
    if (instr === before) break;
    for (const prop of instr.properties ?? []) {
      if (!prop.value?.known) continue;
      if (prop.name === 'GOMODCACHE') modcache = prop.value.text;
      if (prop.name === 'GOPATH') gopath = prop.value.text.split(':')[0];
    }
  }
  if (modcache) return [modcache];
  if (gopath) return [`${gopath}/pkg/mod`];
  return ['/go/pkg/mod', '/root/go/pkg/mod'];
};

const trimSlash = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path);

/**
 * The cache mount of a RUN that holds Go's module cache (its target is the module cache or a
 * folder above it), or null. Modules in a cache mount survive a rebuilt layer: BuildKit keeps
 * the mount between builds, so a go command that runs again finds them there.
 */
export const moduleCacheMount = (model: Model, stageIndex: number, instr: EvalInstruction): string | null => {
  if (instr.keyword !== 'RUN') return null;
  const dirs = moduleCacheDirs(model, stageIndex, instr).map(trimSlash);
  for (const mount of mountOptions(instr)) {
    if (mount.type !== 'cache') continue;
    const target = trimSlash(mount.target ?? mount.dst ?? mount.destination ?? '');
    if (target && dirs.some((dir) => dir === target || dir.startsWith(`${target === '/' ? '' : target}/`))) return target;
  }
  return null;
};

export interface DepsVerdict {
  readonly value: boolean | null;
  /** Line where the source arrives before the dependencies were downloaded (or of the go build without a download step). */
  readonly line: number | null;
  /**
   * `source-first`: the source is copied before the download; `no-download`: no separate download
   * step at all; `mount-not-on-build`: the download goes into a module cache mount (at
   * `downloadLine`) that the go build does not mount, so go build downloads everything again.
   */
  readonly reason: 'source-first' | 'no-download' | 'mount-not-on-build' | null;
  readonly downloadLine?: number;
  /** The module cache mount that makes the stage pass without a separate cached download layer. */
  readonly mount?: string;
}

/**
 * Does a source change leave the Go modules alone, in the stages that run `go build`? Either the
 * download is a layer of its own that only go.mod/go.sum feed (copied or bind-mounted), or the
 * go build mounts the module cache (`RUN --mount=type=cache,target=/go/pkg/mod go build`): then
 * modules come from the mount whatever order the layers are in.
 */
export const depsBeforeSource = (model: Model): DepsVerdict => {
  const builders = model.stages.filter((s) => s.instructions.some(isGoBuild));
  if (builders.length === 0) return { value: null, line: null, reason: null };
  let mounted: string | undefined;
  for (const stage of builders) {
    const build = stage.instructions.find(isGoBuild);
    const buildMount = build ? moduleCacheMount(model, stage.index, build) : null;
    let depsCopied = false;
    let depsReady = false;
    let mountedDownload: EvalInstruction | undefined;
    let sourceLine: number | undefined;
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
        const mount = moduleCacheMount(model, stage.index, instr);
        const downloads = !isGoBuild(instr) && ((depsCopied && GO_ANY.test(text) && bind !== 'source') || (bind === 'deps' && GO_DOWNLOAD.test(text)));
        // Modules downloaded into a cache mount are not in the layer: only a RUN that mounts it too sees them.
        if (downloads && mount) mountedDownload ??= instr;
        else if (downloads) depsReady = true;
        // Even with the module cache on go build, a download into the layer after the source runs on every change.
        if (buildMount && sourceLine !== undefined && !mount && !isGoBuild(instr) && GO_DOWNLOAD.test(text)) {
          return { value: false, line: sourceLine, reason: 'source-first' };
        }
        if (bind === 'source') sourceArrives = true;
      }
      if (sourceArrives) sourceLine ??= instr.line;
      if (!buildMount && sourceArrives && !depsReady && !mountedDownload) return { value: false, line: instr.line, reason: 'source-first' };
      if (isGoBuild(instr)) break;
    }
    if (buildMount) {
      mounted ??= buildMount;
      continue;
    }
    if (!depsReady && mountedDownload) {
      return { value: false, line: build?.line ?? stage.line, reason: 'mount-not-on-build', downloadLine: mountedDownload.line };
    }
    if (!depsReady) return { value: false, line: build?.line ?? stage.line, reason: 'no-download' };
  }
  return { value: true, line: null, reason: null, ...(mounted ? { mount: mounted } : {}) };
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
