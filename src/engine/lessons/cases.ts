import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { s, type Infer } from '../util/schema.js';
import { L } from '../i18n.js';
import { CourseError } from '../errors.js';
import { listFiles } from '../util/files.js';
import type { Lesson } from './load.js';

/**
 * A lesson's proof cases (`lessons/NN-slug/cases/<name>/`): answers a learner would plausibly write,
 * wrong or right, each with the verdict it must get on a real engine. `files/` is an overlay on top
 * of the lesson's solution (or start); `case.yaml` says what must happen and why:
 *
 *   expect: fail                # or pass
 *   failing: [image.user]       # with fail: exactly the lesson check ids that fail
 *   base: solution              # solution (default) or start: what the overlay goes on
 *   only: [image.builds, image.user]   # optional: run just these checks (the others are not the point)
 *   remove: [.dockerignore]     # optional: workspace files the case deletes
 *   why: USER named instead of numeric: Kubernetes runAsNonRoot cannot verify a name.
 */
const caseSchema = s
  .object({
    expect: s.enum(['pass', 'fail']),
    failing: s.array(s.string().min(1)).default([]),
    base: s.enum(['start', 'solution']).default('solution'),
    only: s.array(s.string().min(1)).min(1).optional(),
    remove: s.array(s.string().min(1)).default([]),
    why: s.string().min(10),
  })
  .strict();

export interface ProofCase extends Infer<typeof caseSchema> {
  readonly lesson: string;
  readonly name: string;
  readonly dir: string;
  /** Workspace-relative files of the overlay. */
  readonly files: readonly string[];
}

const bad = (shown: string, problem: string): CourseError => new CourseError(L(`Malformed proof case ${shown}: ${problem}`, `证明用例格式错误 ${shown}：${problem}`));

/** The YAML of a case file, or a CourseError naming the file and where the YAML breaks. */
const readYaml = (text: string, shown: string): unknown => {
  try {
    return parseYaml(text);
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw bad(shown, `not valid YAML: ${first}`);
  }
};

/** Loads and validates a lesson's cases (none when it has no cases/ folder), sorted by name. */
export const loadCases = async (lesson: Lesson): Promise<ProofCase[]> => {
  const root = join(lesson.dir, 'cases');
  if (!existsSync(root)) return [];
  const names = (await fs.readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const ids = new Set(lesson.checks.map((c) => c.id));
  const cases: ProofCase[] = [];
  for (const name of names) {
    const dir = join(root, name);
    const shown = `${lesson.path}/cases/${name}/case.yaml`;
    if (!existsSync(join(dir, 'case.yaml'))) throw bad(shown, 'missing');
    const parsed = caseSchema.safeParse(readYaml(await fs.readFile(join(dir, 'case.yaml'), 'utf8'), shown));
    if (!parsed.success) throw bad(shown, `${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim());
    const spec = parsed.data;
    for (const id of [...spec.failing, ...(spec.only ?? [])]) if (!ids.has(id)) throw bad(shown, `"${id}" is not a check of lesson ${lesson.meta.id}`);
    if (spec.expect === 'fail' && spec.failing.length === 0) throw bad(shown, 'expect: fail needs the failing check ids');
    if (spec.expect === 'pass' && spec.failing.length > 0) throw bad(shown, 'expect: pass cannot list failing checks');
    if (spec.only && spec.failing.some((id) => !spec.only?.includes(id))) throw bad(shown, 'every failing check must be in only');
    const files = await listFiles(join(dir, 'files'));
    if (files.length === 0 && spec.remove.length === 0) throw bad(shown, 'a case changes something: add files/ or remove');
    cases.push({ ...spec, lesson: lesson.meta.id, name, dir, files });
  }
  return cases;
};
