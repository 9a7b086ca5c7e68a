import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { cron } from './index'

export const main = makeCloudbaseMain(cron)
