// Imported, not read from disk beside the source: the API image runs a bundle of this code,
// where no package.json sits next to it.
import backupPackage from '../package.json' with { type: 'json' }

export const ENGINE_VERSION = backupPackage.version
