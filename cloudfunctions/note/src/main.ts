import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { note } from './index'

export const main = makeCloudbaseMain(note)
