import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { archive } from './index'

export const main = makeCloudbaseMain(archive)
