import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { org } from './index'

export const main = makeCloudbaseMain(org)
