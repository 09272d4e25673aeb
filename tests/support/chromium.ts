// Debian's Chromium as the e2e tests and the app benchmarks launch it (TOOLCHAIN.md): no Playwright browser
// download here, and none of Chromium's background networking.
export const CHROMIUM_EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * What Playwright 1.64 itself disables (its chromiumSwitches), repeated because Chromium keeps only the
 * last `--disable-features` on a command line: one of our own would otherwise drop these.
 * tests/e2e/harness.spec.ts fails, naming the missing ones, if Playwright's list grows.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion'
]

/**
 * Headless Chromium 156 keeps the address bar's drop-down as a WebUI page in a renderer of its own, and
 * that renderer works through every navigation: 1.1–1.4 s of CPU while our page loads, more than the page
 * itself. The app's window (Electron) has no address bar, so on these 2 cores it only slowed what the
 * tests and benchmarks measure. Puppeteer turns it off the same way.
 */
const NO_ADDRESS_BAR_POPUP = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup']

export const CHROMIUM_DISABLED_FEATURES: readonly string[] = [...PLAYWRIGHT_DISABLED_FEATURES, ...NO_ADDRESS_BAR_POPUP]

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${CHROMIUM_DISABLED_FEATURES.join(',')}`
]
