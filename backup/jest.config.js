import { jestConfig } from '@helpdesk/harness/jest'

export default jestConfig({ services: ['postgres', 's3'] })
