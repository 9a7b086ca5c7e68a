import type { NoteToReview, OrgTodo } from '../core/functions/org'
import { call } from './index'

export type { NoteToReview, OrgTodo }

/** 书记工作台: what waits in the branch, counted in one call. */
export function branchTodo(branchId: string): Promise<OrgTodo> {
  return call<OrgTodo>('org', 'todo', { branchId })
}

/** The notes waiting for the caller's review, oldest first (never the caller's own). */
export function notesToReview(branchId: string): Promise<{ notes: NoteToReview[]; total: number }> {
  return call('org', 'notesToReview', { branchId })
}
