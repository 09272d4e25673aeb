// electron-builder's afterPack hook: runs once per platform/arch after the app is laid out and before
// signing (fuses must be flipped before the signature is made). It
//   1. refuses native addons built for another OS or CPU (keytar is compiled on the build machine),
//   2. flips the release fuses, reading them back to prove they took, or skips them for a declared stand-in.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { flipFuses, getCurrentFuseWire, pathToFuseFile } from '@electron/fuses'
import type { AfterPackContext } from 'electron-builder'
import { mismatchedAddons } from './native-binary-target.ts'
import { buildFlavorFromEnvironment, decideFuses, fusesNotApplied, STAND_IN_VARIABLE, type PackagedBinary } from './release-fuses.ts'

// builder-util's Arch enum, by value (only its type is imported, so the hook stays light to load).
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'] as const

export function archName(arch: number): string {
  const name = ARCH_NAMES[arch]
  if (!name) throw new Error(`unknown electron-builder arch ${arch}`)
  return name
}

/** The file @electron/fuses edits: the app executable on Linux and Windows, the .app bundle on macOS. */
export function electronBinaryPath(context: Pick<AfterPackContext, 'appOutDir' | 'electronPlatformName' | 'packager'>): string {
  const { appOutDir, electronPlatformName, packager } = context
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`)
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`)
  return join(appOutDir, (packager as unknown as { executableName: string }).executableName)
}

async function inspectBinary(path: string): Promise<PackagedBinary> {
  if (!existsSync(pathToFuseFile(path))) throw new Error(`The packaged Electron binary is missing: ${pathToFuseFile(path)}`)
  try {
    const wire = await getCurrentFuseWire(path)
    return { path, fuseWireLength: Object.keys(wire).filter((key) => /^\d+$/.test(key)).length }
  } catch (error) {
    if (error instanceof Error && /Could not find sentinel/.test(error.message)) return { path, fuseWireLength: null }
    throw error
  }
}

export interface AfterPackEnvironment {
  env: NodeJS.ProcessEnv
  log: (line: string) => void
}

export async function afterPack(context: AfterPackContext, environment: AfterPackEnvironment = { env: process.env, log: console.log }): Promise<void> {
  const { env, log } = environment
  const flavor = buildFlavorFromEnvironment(env)
  const platform = context.electronPlatformName
  const arch = archName(context.arch)

  const resourcesDir = context.packager.getResourcesDir(context.appOutDir)
  const unpacked = join(resourcesDir, 'app.asar.unpacked')
  if (existsSync(unpacked)) {
    const problems = mismatchedAddons(unpacked, platform, arch)
    if (problems.length > 0) {
      throw new Error(
        `This ${platform}-${arch} build carries native modules for another system:\n  ${problems.join('\n  ')}\n` +
          `Build each platform's installer on that platform (npm ci there compiles keytar for it).`
      )
    }
  }

  const binary = await inspectBinary(electronBinaryPath(context))
  const decision = decideFuses(binary, { flavor, platform, standInDeclared: env[STAND_IN_VARIABLE] === '1' })
  if (decision.action === 'skip') {
    log(`dmdesk fuses: skipped: ${decision.reason}`)
    return
  }
  await flipFuses(binary.path, decision.config)
  const notApplied = fusesNotApplied(decision.config, (await getCurrentFuseWire(binary.path)) as unknown as Record<number, number>)
  if (notApplied.length > 0) throw new Error(`These fuses did not take in ${binary.path}: ${notApplied.join(', ')}`)
  log(`dmdesk fuses: ${flavor} fuses set on ${binary.path}`)
}
