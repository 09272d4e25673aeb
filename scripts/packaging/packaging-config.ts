// The electron-builder configuration (electron-builder.ts at the root re-exports it, which is the name
// electron-builder finds by itself): installers for Linux (AppImage, deb), macOS (dmg) and Windows (NSIS).
// Written in TypeScript so the parts that depend on the environment (update feed, signing policy) are
// computed and tested (tests/unit/packaging/) rather than templated. electron-builder loads it with jiti.
//
// Environment read here (all optional):
//   DMDESK_UPDATE_URL       https folder of the update feed; without it the app is built with updates off
//   DMDESK_BUILD_FLAVOR     release (default) | test: test keeps the --inspect fuse on for Playwright
//   DMDESK_REQUIRE_SIGNING  1: fail instead of producing an unsigned macOS/Windows build
//   DMDESK_MAINTAINER       "Name <email>" for the deb package
//   DMDESK_BUILT_APP_DIR    package the electron-vite output in this folder instead of ./out (the packaging
//                           smoke test builds privately, so a parallel build in the checkout can't race it)
// Signing and notarization credentials are read by electron-builder itself (see docs/INSTALL.md):
//   CSC_LINK, CSC_KEY_PASSWORD (macOS and Windows), APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER
//   or APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID (notarization).
import { isAbsolute } from 'node:path'
import type { Configuration, FileSet } from 'electron-builder'
import { APP_ID, PRODUCT_NAME } from '../../electron/main/app-identity.ts'
import { parseFeedUrl, UPDATE_URL_VARIABLE } from '../../electron/main/update-source.ts'
import { afterPack } from './after-pack.ts'
import { buildFlavorFromEnvironment } from './release-fuses.ts'

const DEFAULT_MAINTAINER = 'dmdesk maintainers <maintainers@dmdesk.invalid>'

/** What goes into app.asar: the built app and its production dependencies, trimmed to what runs. */
export const APP_FILES = [
  'out/main/**',
  'out/preload/**',
  'out/renderer/**',
  'package.json',
  // Source maps only ship if someone decides to; none do today.
  '!**/*.map',
  // better-sqlite3: the prebuilt addon for the target only; not the SQLite sources it ships for compiling.
  '!**/node_modules/better-sqlite3/{src,deps}/**',
  '!**/node_modules/better-sqlite3/binding.gyp',
  '!**/node_modules/better-sqlite3/prebuilds/!(${platform}-${arch}).node',
  // keytar: the compiled addon only, not its sources and build intermediates.
  '!**/node_modules/keytar/src/**',
  '!**/node_modules/keytar/binding.gyp',
  '!**/node_modules/keytar/build/{Makefile,*.mk,*.Makefile,config.gypi}',
  '!**/node_modules/keytar/build/Release/{obj.target,.deps}/**',
  // C++ headers that both addons declare as dependencies but only their compilers use.
  '!**/node_modules/node-addon-api/**',
  // TypeScript in dependencies is never run (Node doesn't strip types under node_modules): sources such as
  // zod/src and type declarations only.
  '!**/node_modules/**/*.{ts,mts,cts}'
]

/** APP_FILES, with the built app taken from `builtAppDir` (absolute) instead of ./out when given. */
export function appFiles(builtAppDir: string | undefined): Array<string | FileSet> {
  if (!builtAppDir) return APP_FILES
  if (!isAbsolute(builtAppDir)) throw new Error(`DMDESK_BUILT_APP_DIR must be an absolute path, not "${builtAppDir}".`)
  const fromOut = APP_FILES.filter((pattern) => pattern.startsWith('out/'))
  return [
    { from: builtAppDir, to: 'out', filter: [...fromOut.map((pattern) => pattern.slice('out/'.length)), '!**/*.map'] },
    ...APP_FILES.filter((pattern) => !fromOut.includes(pattern))
  ]
}

export function feedPublishConfig(env: NodeJS.ProcessEnv): Configuration['publish'] {
  const raw = env[UPDATE_URL_VARIABLE]?.trim()
  if (!raw) return null
  const parsed = parseFeedUrl(raw)
  if (!parsed.ok) throw new Error(parsed.message)
  return [{ provider: 'generic', url: parsed.url, channel: 'latest' }]
}

export function packagingConfig(env: NodeJS.ProcessEnv): Configuration {
  // Fail at configuration time on a mistyped flavor, not half-way through packaging.
  buildFlavorFromEnvironment(env)
  return {
    appId: APP_ID,
    productName: PRODUCT_NAME,
    copyright: 'Copyright © dmdesk contributors',
    // The version comes from package.json; nothing here overrides it.
    artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
    directories: { output: 'release', buildResources: 'resources' },
    files: appFiles(env.DMDESK_BUILT_APP_DIR?.trim() || undefined),
    asar: true,
    // Native addons cannot be loaded from inside an archive.
    asarUnpack: ['**/*.node'],
    // better-sqlite3 13 and keytar are Node-API addons: the same binary loads in Node and Electron, so no
    // rebuild against Electron's headers (which would also need a download).
    npmRebuild: false,
    nodeGypRebuild: false,
    buildDependenciesFromSource: false,
    // The app opens no documents and registers no URL scheme with the OS (dmdesk-media is internal only).
    fileAssociations: [],
    protocols: [],
    publish: feedPublishConfig(env),
    forceCodeSigning: env.DMDESK_REQUIRE_SIGNING === '1',
    afterPack: (context) => afterPack(context),

    linux: {
      target: ['AppImage', 'deb'],
      icon: 'resources/icons',
      category: 'Network',
      executableName: 'dmdesk',
      synopsis: 'Desktop inbox for Instagram direct messages',
      description: 'dmdesk keeps your Instagram DMs (sent through the Postproxy API) in a fast desktop inbox that works offline.',
      maintainer: env.DMDESK_MAINTAINER?.trim() || DEFAULT_MAINTAINER,
      // Electron takes its Linux app_id / WM_CLASS from package.json's desktopName (dmdesk.desktop); naming the
      // installed .desktop file after it lets docks and notification centres match the window to the app.
      syncDesktopName: true
    },
    deb: {
      // electron-builder's default dependencies already include libsecret-1-0 (keytar's link to the keychain);
      // a Secret Service to talk to is recommended for desktops that lack one (plus electron-builder's default).
      recommends: ['gnome-keyring', 'libappindicator3-1']
    },

    mac: {
      // dmg is what people download; electron-updater's macOS updater installs from the zip.
      target: [
        { target: 'dmg', arch: ['arm64', 'x64'] },
        { target: 'zip', arch: ['arm64', 'x64'] }
      ],
      icon: 'resources/icon.icns',
      category: 'public.app-category.social-networking',
      hardenedRuntime: true,
      gatekeeperAssess: false,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist'
      // `notarize` is left to electron-builder: it notarizes when the APPLE_* credentials are in the environment.
    },
    dmg: { writeUpdateInfo: false },

    win: {
      target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
      icon: 'resources/icon.ico'
    },
    nsis: {
      // Per-user install without admin rights; the Start-menu shortcut carries the AppUserModelId (= appId)
      // that Windows needs before it shows the app's notifications.
      oneClick: true,
      perMachine: false,
      createStartMenuShortcut: true,
      createDesktopShortcut: true,
      shortcutName: PRODUCT_NAME,
      // Uninstalling keeps the inbox cache; docs/INSTALL.md says how to wipe it.
      deleteAppDataOnUninstall: false
    }
  }
}

