import type { Localized } from '../i18n.js';

export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One environment check. JSON shape of `doctor --json` items. */
export interface DoctorItem {
  /** Stable id: docker-cli, daemon, permission, build-run, buildkit, compose, swarm, disk, course-images, arch, base-images, registries, go-proxy, proxy. */
  readonly id: string;
  readonly title: Localized;
  readonly status: DoctorStatus;
  readonly message: Localized;
  /** What to do, when status is not ok. */
  readonly fix?: Localized;
  /** A fail that stops the lessons (Docker missing, no disk...). warn never blocks. */
  readonly blocking?: boolean;
  /** An ok with nothing worth a line: the text report leaves it out, `--json` keeps it. */
  readonly quiet?: boolean;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** `doctor --json` prints this object. */
export interface DoctorReport {
  /** true when something prevents the lessons from working (the CLI exits non-zero). */
  readonly blocking: boolean;
  readonly items: readonly DoctorItem[];
  readonly durationMs: number;
}

export interface DoctorOptions {
  /** Base images the lessons build FROM (e.g. golang:1.26-trixie); `scratch` is ignored. */
  readonly baseImages?: readonly string[];
  readonly signal?: AbortSignal;
  /** Skip the checks that need the network (pullability, Go module proxy). */
  readonly offline?: boolean;
  /** Image used to probe the Go module proxy (default golang:1.26-trixie). */
  readonly goImage?: string;
  /** Free space below this fails (default 3 GB). */
  readonly minFreeBytes?: number;
}
