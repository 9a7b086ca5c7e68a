import { SessionInputs } from '../../../src/core/functions/session'
import { action, defineFunction } from '../../_shared/dispatch'
import { listSessions, getSession, sessionRoster } from './read'
import { branchCadence, dualLife } from './reports'
import { getMinutes, lockMinutesAction, saveMinutes } from './minutes'
import { addMinutesPhoto, removeMinutesPhoto } from './minutes-photos'
import { recordSession } from './record'
import { cancelSession, createSessions, updateSession } from './write'

/**
 * `session`: the branch's calendar of organisational life. Officers (the
 * branch's secretary and committee, admins above) schedule, edit and cancel,
 * record a meeting held without the app, see the roster and the cadence and 双重组织生活 reports, keep each
 * session's 会议纪实; members see their branch's sessions and the records of those they were expected at. Identity comes only from the runtime (caller.ts).
 */
export const session = defineFunction('session', {
  create: action(SessionInputs.create, createSessions),
  update: action(SessionInputs.update, updateSession),
  cancel: action(SessionInputs.cancel, cancelSession),
  record: action(SessionInputs.record, recordSession),
  list: action(SessionInputs.list, listSessions),
  get: action(SessionInputs.get, getSession),
  roster: action(SessionInputs.roster, sessionRoster),
  cadence: action(SessionInputs.cadence, branchCadence),
  dualLife: action(SessionInputs.dualLife, dualLife),
  minutes: action(SessionInputs.minutes, getMinutes),
  minutesSave: action(SessionInputs.minutesSave, saveMinutes),
  minutesLock: action(SessionInputs.minutesLock, lockMinutesAction),
  minutesPhotoAdd: action(SessionInputs.minutesPhotoAdd, addMinutesPhoto),
  minutesPhotoRemove: action(SessionInputs.minutesPhotoRemove, removeMinutesPhoto)
})
