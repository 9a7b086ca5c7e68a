import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { stats } from './index'

export const main = makeCloudbaseMain(stats)
