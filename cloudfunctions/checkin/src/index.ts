/**
 * The `checkin` function: the rotating QR token, checking in (QR, online or
 * by the secretary), leave, make-up study and a member's record. Pure rules
 * live in src/core/checkin; this file only wires actions to their schemas.
 */
import { CheckinInputs } from '../../../src/core/functions/checkin'
import { action, defineFunction } from '../../_shared/dispatch'
import { checkInAction, proxyCheckInAction, tokenAction } from './attend'
import { decideLeaveAction, leavesAction, recordLeaveAction, requestLeaveAction } from './leave'
import { assignMakeUpAction, makeUpAction, reviewMakeUpAction } from './makeup'
import { branchMakeUpsAction, makeUpsAction } from './makeup-lists'
import { mineAction } from './mine'
import { confirmCheckinsAction, pendingCheckinsAction } from './pending'

export const checkin = defineFunction('checkin', {
  token: action(CheckinInputs.token, tokenAction),
  checkIn: action(CheckinInputs.checkIn, checkInAction),
  proxyCheckIn: action(CheckinInputs.proxyCheckIn, proxyCheckInAction),
  pendingCheckins: action(CheckinInputs.pendingCheckins, pendingCheckinsAction),
  confirmCheckins: action(CheckinInputs.confirmCheckins, confirmCheckinsAction),
  requestLeave: action(CheckinInputs.requestLeave, requestLeaveAction),
  decideLeave: action(CheckinInputs.decideLeave, decideLeaveAction),
  recordLeave: action(CheckinInputs.recordLeave, recordLeaveAction),
  leaves: action(CheckinInputs.leaves, leavesAction),
  assignMakeUp: action(CheckinInputs.assignMakeUp, assignMakeUpAction),
  makeUp: action(CheckinInputs.makeUp, makeUpAction),
  reviewMakeUp: action(CheckinInputs.reviewMakeUp, reviewMakeUpAction),
  makeUps: action(CheckinInputs.makeUps, (rt) => makeUpsAction(rt)),
  branchMakeUps: action(CheckinInputs.branchMakeUps, branchMakeUpsAction),
  mine: action(CheckinInputs.mine, mineAction)
})
