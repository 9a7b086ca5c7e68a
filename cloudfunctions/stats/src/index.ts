/**
 * The `stats` function: points ledger, rankings (visibility by organisation
 * setting), 双色预警 and the 季通报. Every ranking reads aggregates kept by
 * the write paths (cloudfunctions/_shared/tally.ts) and rebuilt by `cron`;
 * the rules are pure, in src/core/stats.
 */
import { StatsInputs } from '../../../src/core/functions/stats'
import { action, defineFunction } from '../../_shared/dispatch'
import { adjustPointsAction, pointsAction } from './points'
import { branchRankingAction, memberRankingAction } from './rankings'
import { reconcileAction } from './reconcile'
import { reportAction } from './report'
import { recordTalkAction } from './talks'
import { warningsAction } from './warnings'

export const stats = defineFunction('stats', {
  memberRanking: action(StatsInputs.memberRanking, memberRankingAction),
  branchRanking: action(StatsInputs.branchRanking, branchRankingAction),
  warnings: action(StatsInputs.warnings, warningsAction),
  report: action(StatsInputs.report, reportAction),
  points: action(StatsInputs.points, pointsAction),
  adjustPoints: action(StatsInputs.adjustPoints, adjustPointsAction),
  reconcile: action(StatsInputs.reconcile, reconcileAction),
  recordTalk: action(StatsInputs.recordTalk, recordTalkAction)
})
