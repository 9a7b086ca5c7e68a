import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { session } from './index'

export const main = makeCloudbaseMain(session)
