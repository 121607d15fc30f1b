// The modules this API runs, in one list: the composition root. A new feature area adds its
// module here (see README "Extending").

import type { HelpdeskModule } from './platform/module.ts'
import { platformModule } from './platform/platform-module.ts'

export const modules: readonly HelpdeskModule[] = [platformModule]
