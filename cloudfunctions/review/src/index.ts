/**
 * The `review` function: 组织生活会 and 民主评议党员 (src/core/functions/review.ts).
 * The rules are pure (src/core/review/grades.ts); secrecy rests on how
 * ballots are stored (ballots.ts).
 */
import { ReviewInputs } from '../../../src/core/functions/review'
import { action, defineFunction } from '../../_shared/dispatch'
import { gradeAction, tallyAction } from './ballots'
import { closeGradingAction, decideAction, openAction } from './officers'
import { currentAction, getAction, mineAction, saveSelfAction } from './views'

export const review = defineFunction('review', {
  open: action(ReviewInputs.open, openAction),
  current: action(ReviewInputs.current, currentAction),
  get: action(ReviewInputs.get, getAction),
  saveSelf: action(ReviewInputs.saveSelf, saveSelfAction),
  grade: action(ReviewInputs.grade, gradeAction),
  closeGrading: action(ReviewInputs.closeGrading, closeGradingAction),
  tally: action(ReviewInputs.tally, tallyAction),
  decide: action(ReviewInputs.decide, decideAction),
  mine: action(ReviewInputs.mine, mineAction)
})
