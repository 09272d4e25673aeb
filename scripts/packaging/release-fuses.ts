// Electron fuses are switches compiled into the Electron binary; flipping them at package time removes
// ways to misuse a shipped app (run it as a plain Node, inject code through NODE_OPTIONS or --inspect,
// load app code from outside the signed archive). This module decides the fuse settings and whether a
// packaged binary can take them; scripts/packaging/after-pack.ts applies the decision.
import { FuseState, FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses'

/**
 * `release` is what users get. `test` keeps the inspector switch on, because Playwright's Electron
 * launcher drives the app through `--inspect`; it is for CI machines that have Electron, never for users.
 */
export type BuildFlavor = 'release' | 'test'

export const BUILD_FLAVOR_VARIABLE = 'DMDESK_BUILD_FLAVOR'
/** Set by the packaging smoke test, which packages a stub instead of Electron (Electron can't be downloaded there). */
export const STAND_IN_VARIABLE = 'DMDESK_ELECTRON_STAND_IN'

export function buildFlavorFromEnvironment(env: NodeJS.ProcessEnv): BuildFlavor {
  const value = env[BUILD_FLAVOR_VARIABLE]?.trim() || 'release'
  if (value === 'release' || value === 'test') return value
  throw new Error(`${BUILD_FLAVOR_VARIABLE} must be "release" or "test", not "${value}".`)
}

/** Every fuse this project has decided on, by its index in the fuse wire. */
export function fuseSettings(flavor: BuildFlavor): Record<FuseV1Options, boolean> {
  return {
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: flavor === 'test',
    // Verified on macOS and Windows (electron-builder embeds the header hash); Electron ignores it on Linux.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // Off: the renderer is served from app:// (electron/main/app-protocol.ts), so no page needs file:// powers.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    // Electron's default: WebAssembly bounds checks through trap handlers rather than inline checks.
    [FuseV1Options.WasmTrapHandlers]: true
  }
}

export type FuseDecision =
  | { action: 'flip'; config: FuseV1Config }
  | { action: 'skip'; reason: string }

export interface PackagedBinary {
  path: string
  /** Length of the fuse wire found in the binary, or null when it has none (not an Electron binary). */
  fuseWireLength: number | null
}

/**
 * What to do with the packaged binary. A binary without a fuse wire is accepted only when the build
 * declared a stand-in Electron; otherwise shipping it would silently ship an unhardened app, so it fails.
 */
export function decideFuses(binary: PackagedBinary, options: { flavor: BuildFlavor; platform: string; standInDeclared: boolean }): FuseDecision {
  if (binary.fuseWireLength === null) {
    if (options.standInDeclared) {
      return { action: 'skip', reason: `${binary.path} is a stand-in for Electron (${STAND_IN_VARIABLE}=1): fuses not applied, this build cannot run` }
    }
    throw new Error(
      `The packaged Electron binary ${binary.path} has no fuse wire, so the release fuses cannot be set. ` +
        `Package with a real Electron, or set ${STAND_IN_VARIABLE}=1 for a configuration-only smoke build.`
    )
  }
  const settings = fuseSettings(options.flavor)
  const known = Object.keys(settings).length
  if (binary.fuseWireLength > known) {
    throw new Error(
      `This Electron has ${binary.fuseWireLength} fuses but dmdesk decides only ${known}: ` +
        `update @electron/fuses and decide the new fuse in scripts/packaging/release-fuses.ts.`
    )
  }
  // Only the fuses this Electron has; strict mode then proves none of them is left at its default.
  const present = Object.fromEntries(Object.entries(settings).filter(([index]) => Number(index) < binary.fuseWireLength!))
  return {
    action: 'flip',
    config: {
      version: FuseVersion.V1,
      strictlyRequireAllFuses: true,
      // Flipping fuses breaks the ad-hoc signature Apple silicon requires; electron-builder signs properly afterwards when it can.
      resetAdHocDarwinSignature: options.platform === 'darwin' || options.platform === 'mas',
      ...present
    } as FuseV1Config
  }
}

/**
 * The fuses in `config` whose state in the binary's wire differs (the read-back check after flipping).
 * A fuse Electron marked as removed counts as applied: Electron then fixes that behaviour itself.
 */
export function fusesNotApplied(config: FuseV1Config, wire: Readonly<Record<number, number>>): string[] {
  const wrong: string[] = []
  for (const [index, wanted] of Object.entries(config)) {
    if (!/^\d+$/.test(index)) continue
    const state = wire[Number(index)]
    if (state !== (wanted ? FuseState.ENABLE : FuseState.DISABLE) && state !== FuseState.REMOVED) wrong.push(FuseV1Options[Number(index)] ?? `fuse ${index}`)
  }
  return wrong
}
