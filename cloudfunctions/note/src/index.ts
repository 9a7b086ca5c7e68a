/**
 * The `note` function: reading notes (学习笔记 / 心得体会) against the yearly
 * word and essay quotas, their review by the branch's officers, and progress.
 * Pure quota and pace rules live in src/core/notes; the originality check in
 * _shared/originality; the study materials it knows (学习材料) in ./materials. This file only wires actions to their schemas.
 */
import { NoteInputs } from '../../../src/core/functions/note'
import { action, defineFunction, type DispatchFn } from '../../_shared/dispatch'
import { branchProgressAction, progressAction, yearEndAction } from './progress'
import { addMaterial, continueMaterial, listMaterials, precheckMaterial, removeMaterial } from './materials'
import { getAction, listAction } from './read'
import { removeAction } from './remove'
import { reviewAction } from './review'
import { precheckSave, saveAction } from './save'

const dispatch = defineFunction('note', {
  save: action(NoteInputs.save, saveAction),
  list: action(NoteInputs.list, listAction),
  get: action(NoteInputs.get, getAction),
  remove: action(NoteInputs.remove, removeAction),
  review: action(NoteInputs.review, reviewAction),
  progress: action(NoteInputs.progress, progressAction),
  branchProgress: action(NoteInputs.branchProgress, branchProgressAction),
  yearEnd: action(NoteInputs.yearEnd, yearEndAction),
  materials: action(NoteInputs.materials, listMaterials),
  addMaterial: action(NoteInputs.addMaterial, addMaterial),
  continueMaterial: action(NoteInputs.continueMaterial, continueMaterial),
  removeMaterial: action(NoteInputs.removeMaterial, removeMaterial)
})

/** Kind messages for an over-long or garbled note or material come before the schema's generic one. */
export const note: DispatchFn = async (rt, event) => precheckSave(event) ?? precheckMaterial(event) ?? dispatch(rt, event)
