import type { Localized } from '../i18n.js';
import type { DoctorReport } from '../doctor/types.js';
import type { LocalImage, PullProgress, PullResult } from '../docker/image-transfer.js';
import type { DockerCapabilities } from '../docker/session.js';
import type { ImageCheck } from './manifest.js';

/**
 * Everything `prepare` asks of Docker, in one interface: the real one (driver.ts) calls the Docker
 * driver, tests pass a fake. The driver carries the command's AbortSignal.
 */
export interface PrepareDriver {
  capabilities(): Promise<DockerCapabilities>;
  inspect(ref: string): Promise<LocalImage | undefined>;
  /** Compressed layer sizes for the platform (short digest -> bytes); undefined when no registry says. */
  layerSizes(ref: string, platform: string): Promise<Map<string, number> | undefined>;
  pull(ref: string, options: { platform: string; onProgress?: (progress: PullProgress) => void }): Promise<PullResult>;
  /** A labelled build of a Dockerfile with these files as its whole context. */
  build(spec: BuildSpec): Promise<{ ok: boolean; imageId?: string; tail: readonly string[]; timedOut?: boolean }>;
  removeImage(ref: string): Promise<void>;
  /** `docker tag from to`: a mirror's copy named as the lessons name it. */
  tag(from: string, to: string): Promise<{ ok: boolean; error?: string }>;
  save(refs: readonly string[], options: { file: string; start: number; onBytes?: (bytes: number) => void }): Promise<{ bytes: number; sha256: string }>;
  load(options: {
    file: string;
    start: number;
    length: number;
    onBytes?: (bytes: number) => void;
  }): Promise<{ loaded: string[]; sha256: string; bytes: number }>;
  doctor(images: readonly string[]): Promise<DoctorReport>;
}

export interface BuildSpec {
  readonly dockerfile: string;
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  readonly tag: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** `--platform`, only when it is not the engine's own (an archive for Apple silicon made on amd64). */
  readonly platform?: string;
}

/** What the command prints as `prepare` goes (the engine never prints). */
export type PrepareEvent =
  | { readonly type: 'platform'; readonly platform: string; readonly images: number }
  | { readonly type: 'image-present'; readonly ref: string; readonly index: number; readonly total: number; readonly size: number }
  | {
      readonly type: 'image-pull';
      readonly ref: string;
      readonly index: number;
      readonly total: number;
      readonly bytesTotal?: number;
      readonly reason?: Localized;
      /** The mirror's name it is pulled under (prepare --mirror), then tagged as `ref`. */
      readonly from?: string;
    }
  | {
      readonly type: 'image-progress';
      readonly ref: string;
      readonly layers: number;
      readonly layersDone: number;
      readonly bytesDone?: number;
      readonly bytesTotal?: number;
    }
  | { readonly type: 'image-pulled'; readonly ref: string; readonly seconds: number; readonly size?: number; readonly from?: string }
  | { readonly type: 'image-failed'; readonly ref: string; readonly message: Localized }
  | {
      readonly type: 'overall';
      readonly imagesDone: number;
      readonly images: number;
      readonly bytesDone: number;
      /** 0 when no registry gave sizes. */
      readonly bytesTotal: number;
      readonly etaSeconds?: number;
    }
  | { readonly type: 'step'; readonly step: 'modules' | 'doctor' | 'save' | 'load' | 'verify' | 'restore'; readonly message: Localized }
  | { readonly type: 'bytes'; readonly step: 'save' | 'load'; readonly bytes: number; readonly total?: number; readonly etaSeconds?: number };

export type ImageOutcome =
  | { readonly ref: string; readonly status: 'present'; readonly id: string }
  | { readonly ref: string; readonly status: 'pulled'; readonly id: string }
  | { readonly ref: string; readonly status: 'failed'; readonly message: Localized };

export interface ModulesOutcome {
  readonly ok: boolean;
  readonly message: Localized;
  /** What to do, when not ok. */
  readonly fix?: Localized;
}

export interface PrepareResult {
  readonly platform: string;
  readonly images: readonly ImageOutcome[];
  readonly modules: ModulesOutcome;
  readonly doctor: DoctorReport | null;
  /** Every image is here, the modules are warm and doctor found nothing blocking. */
  readonly ready: boolean;
}

export interface ExportResult {
  readonly file: string;
  readonly bytes: number;
  readonly images: readonly string[];
  readonly modules: string | null;
  readonly platform: string;
}

export interface ImportResult {
  readonly file: string;
  readonly platform: string;
  readonly createdAt: string;
  readonly tool: string;
  readonly images: readonly ImageCheck[];
  readonly modules: (ImageCheck & { readonly restored: boolean; readonly message: Localized }) | null;
  /** Every image is here with its ID and the module cache is restored. */
  readonly ok: boolean;
}
