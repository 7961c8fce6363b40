import type { Lookup, VarValue } from './expand.js';

/** ARGs BuildKit defines automatically in the global scope; their values depend on the platform. */
export const PLATFORM_ARGS = new Set(['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT']);

const UNKNOWN: VarValue = { kind: 'unknown' };
const UNSET: VarValue = { kind: 'unset' };

/** Variables before the first FROM: usable only in FROM lines (and as defaults for ARGs re-declared in a stage). */
export class GlobalScope {
  readonly args = new Map<string, VarValue>();

  /** In FROM, an undeclared name expands to "" (BuildKit warns UndefinedArgInFrom); platform ARGs vary by build. */
  readonly lookup: Lookup = (name) => this.args.get(name) ?? (PLATFORM_ARGS.has(name) ? UNKNOWN : UNSET);
}

/** Where a stage's inherited environment comes from. */
export type StageBase = { readonly kind: 'scratch' } | { readonly kind: 'external' } | { readonly kind: 'stage'; readonly scope: StageScope };

/**
 * Variables of one stage. ENV wins over ARG of the same name (Docker's rule); ENV is inherited from
 * an earlier stage used as base, ARGs are not; an external base may define any ENV, so names the
 * Dockerfile does not declare are unknown there.
 */
export class StageScope {
  readonly env = new Map<string, VarValue>();
  readonly args = new Map<string, VarValue>();

  constructor(
    private readonly base: StageBase,
    private readonly global: GlobalScope,
  ) {}

  /** Value of an ENV of this stage or its stage ancestors; undefined when the Dockerfile never sets it. */
  declaredEnv(name: string): VarValue | undefined {
    return this.env.get(name) ?? (this.base.kind === 'stage' ? this.base.scope.declaredEnv(name) : undefined);
  }

  /** Value as the Dockerfile declares it (ENV or ARG), undefined when it never does. */
  declared(name: string): VarValue | undefined {
    return this.env.get(name) ?? this.args.get(name) ?? (this.base.kind === 'stage' ? this.base.scope.declaredEnv(name) : undefined);
  }

  readonly lookup: Lookup = (name) => {
    const declared = this.declared(name);
    if (declared) return declared;
    return this.baseKind() === 'scratch' ? UNSET : UNKNOWN;
  };

  /** `ARG NAME` without a value: the global default when there is one, else whatever --build-arg says. */
  declareArg(name: string, value: VarValue | null): void {
    if (value) this.args.set(name, value);
    else this.args.set(name, this.global.args.get(name) ?? UNKNOWN);
  }

  private baseKind(): 'scratch' | 'external' {
    if (this.base.kind === 'stage') return this.base.scope.baseKind();
    return this.base.kind;
  }
}
