import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { remind } from './index'

export const main = makeCloudbaseMain(remind)
