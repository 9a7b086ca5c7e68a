/**
 * 笔记台账: per member, the year's notes against the quota — what was
 * written, what counts (copied passages taken out), 心得 essays, and whether
 * the quota is met. Exempt members are listed, with no quota.
 */
import { essayCounts } from '../notes/essay'
import { memberNoteQuota } from '../notes/prorate'
import type { Member } from '../schemas/member'
import type { Note } from '../schemas/note'
import type { OrgSettingsValues } from '../schemas/settings'
import { ratio, type Row, type Sheet } from './model'

export type NoteFacts = Pick<Note, 'memberId' | 'kind' | 'words' | 'creditedWords' | 'deleted' | 'review'>

export interface NotesLedgerInput {
  /** One entry per branch (an organisation's ledger lists them one after another). */
  branches: { name: string; members: Member[]; notes: NoteFacts[] }[]
  settings: Pick<OrgSettingsValues, 'quotas' | 'exemptAge' | 'essayMinWords'>
  year: number
  title: string
}

/** A deleted note counts for nothing (which essays count toward the four: notes/essay.ts). */
function counts(n: NoteFacts): boolean {
  return !n.deleted
}

export function notesSheet(input: NotesLedgerInput): Sheet {
  const withBranch = input.branches.length > 1
  const rows: Row[] = []
  for (const b of input.branches) {
    const byMember = new Map<string, NoteFacts[]>()
    for (const n of b.notes) if (counts(n)) byMember.set(n.memberId, [...(byMember.get(n.memberId) ?? []), n])
    const people = b.members.filter((m) => m.joinStatus !== 'pending').sort((x, y) => x.name.localeCompare(y.name, 'zh-Hans-CN') || x._id.localeCompare(y._id))
    for (const m of people) {
      const notes = byMember.get(m._id) ?? []
      const words = notes.reduce((s, n) => s + n.words, 0)
      const credited = notes.reduce((s, n) => s + n.creditedWords, 0)
      const essays = notes.filter((n) => essayCounts(n, input.settings.essayMinWords)).length
      const quota = memberNoteQuota(m, input.settings, input.year)
      const done = quota ? credited >= quota.words && essays >= quota.essays : null
      rows.push([
        ...(withBranch ? [b.name] : []),
        m.name,
        notes.length,
        words,
        credited,
        essays,
        quota ? quota.words : '免于定额',
        quota ? quota.essays : null,
        quota ? ratio(Math.min(credited, quota.words), quota.words) : null,
        done === null ? '—' : done ? '达标' : '未达标'
      ])
    }
  }
  return {
    name: '笔记台账',
    title: input.title,
    columns: [
      ...(withBranch ? [{ header: '支部', width: 20 }] : []),
      { header: '姓名', width: 12 },
      { header: '笔记篇数', kind: 'int' },
      { header: '总字数', kind: 'int' },
      { header: '计入字数', kind: 'int' },
      { header: '心得体会篇数', kind: 'int' },
      { header: '全年字数定额', kind: 'int' },
      { header: '心得体会定额', kind: 'int' },
      { header: '字数完成率', kind: 'percent' },
      { header: '是否达标' }
    ],
    rows,
    notes: [
      `计入字数不含与他人笔记重复的段落。心得体会计入篇数须未被退回、一半以上为本人文字、计入字数不少于 ${input.settings.essayMinWords} 字。字数按公布的统计规则（同 Word 字数）计算。`
    ]
  }
}
