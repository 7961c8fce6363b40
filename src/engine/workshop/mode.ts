import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { L } from '../i18n.js';
import { writeFileAtomic } from '../util/files.js';
import type { Tutorial } from '../tutorial.js';
import { joinedWorkshop } from './hook.js';

/**
 * Workshop mode (`--workshop`): solutions stay hidden until the instructor's server opens them.
 * Remembered in the workspace (`.learn-go-docker/workshop-mode.json`), not per invocation: the
 * tutorial's UI, `solution` and `goto --catch-up` must all agree, and a learner who typed the flag
 * once should not get the solutions by forgetting it on the next command. `--no-workshop` removes it.
 *
 * This file is loaded by every command that opens a workspace: it only looks for two files; the
 * question to the server (solution-gate.ts) loads when a solution is asked for in workshop mode.
 */

const STATE_DIR = '.learn-go-docker';
export const WORKSHOP_MODE_FILE = 'workshop-mode.json';

const modePath = (workspace: string): string => join(workspace, STATE_DIR, WORKSHOP_MODE_FILE);

export const workshopModeOn = (workspace: string): boolean => existsSync(modePath(workspace));

/** Turns workshop mode on or off; says whether anything changed. */
export const setWorkshopMode = async (workspace: string, on: boolean, now = new Date()): Promise<boolean> => {
  if (workshopModeOn(workspace) === on) return false;
  if (on) await writeFileAtomic(modePath(workspace), `${JSON.stringify({ version: 1, since: now.toISOString() }, null, 2)}\n`);
  else await fs.rm(modePath(workspace), { force: true });
  return true;
};

/** Solutions are gated only in workshop mode and once the workspace joined a room (there is a server to ask). */
export const solutionsGated = (workspace: string): boolean => workshopModeOn(workspace) && joinedWorkshop(workspace);

/**
 * Puts the gate in front of the tutorial's two ways to a solution (show and apply). The CLI and the
 * UI both reach solutions through this object, so the UI's solution key is gated without the UI
 * knowing about workshops. The check happens at each call: workshop mode may be turned on or off
 * from another terminal while the tutorial runs.
 */
export const gateSolutions = (api: Tutorial, workspace: string): Tutorial => {
  const solution = api.solution.bind(api);
  const applySolution = api.applySolution.bind(api);
  const refusal = async (id: string) => {
    if (!solutionsGated(workspace)) return undefined;
    const { solutionRefusal } = await import('./solution-gate.js');
    return solutionRefusal(workspace, api.findLesson(id).number);
  };
  api.solution = async (id, options = {}) => {
    if (!solutionsGated(workspace)) return solution(id, options);
    const refused = await refusal(id);
    // Opened by the instructor: in a workshop the room's pace decides, not the learner's failed verifies.
    if (!refused) return solution(id, { ...options, openedByInstructor: true });
    const { localized: message, next } = refused;
    return { available: false, reason: next ? L(`${message.en}\n${next.en}`, `${message['zh-CN']}\n${next['zh-CN']}`) : message, files: [] };
  };
  api.applySolution = async (id) => {
    const refused = await refusal(id);
    if (refused) throw refused;
    return applySolution(id);
  };
  return api;
};
