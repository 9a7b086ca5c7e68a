import { makeCloudbaseMain } from '../../_shared/cloudbase-runtime'
import { review } from './index'

export const main = makeCloudbaseMain(review)
