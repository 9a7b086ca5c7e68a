import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { auth } from './index'

export const main = makeCloudbaseMain(auth)
