import { jestConfig } from '@helpdesk/harness/jest'

export default jestConfig()
