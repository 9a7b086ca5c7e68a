import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { checkin } from './index'

export const main = makeCloudbaseMain(checkin)
