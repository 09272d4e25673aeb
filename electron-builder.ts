// electron-builder finds its configuration by this file name. The configuration itself, computed from the
// environment (update feed, build flavor, signing policy), is scripts/packaging/packaging-config.ts.
import { packagingConfig } from './scripts/packaging/packaging-config.ts'

export default packagingConfig(process.env)
