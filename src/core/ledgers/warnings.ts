/** 预警名单: who is yellow or red this quarter and why, and the Art. 9 alerts. */
import type { Row, Sheet } from './model'

export interface WarningLine {
  branchName: string
  name: string
  level: 'yellow' | 'red' | null
  reasons: string[]
  monthsWithoutLife?: number
}

/** withBranch: an organisation's list names each member's branch. */
export function warningsSheet(lines: readonly WarningLine[], title: string, withBranch = false): Sheet {
  const rows: Row[] = lines
    .filter((l) => l.level || (l.monthsWithoutLife ?? 0) > 0)
    .sort((a, b) => (a.level === 'red' ? 0 : 1) - (b.level === 'red' ? 0 : 1) || a.branchName.localeCompare(b.branchName, 'zh-Hans-CN') || a.name.localeCompare(b.name, 'zh-Hans-CN'))
    .map((l) => [
      ...(withBranch ? [l.branchName] : []),
      l.name,
      l.level === 'red' ? '红色预警' : l.level === 'yellow' ? '黄色预警' : '—',
      l.reasons.join('；'),
      l.monthsWithoutLife ? `已连续 ${l.monthsWithoutLife} 个月未参加组织生活` : ''
    ])
  return {
    name: '预警名单',
    title,
    columns: [...(withBranch ? [{ header: '支部', width: 20 }] : []), { header: '姓名', width: 12 }, { header: '预警', width: 10 }, { header: '原因', width: 60 }, { header: '组织生活提醒', width: 30 }],
    rows,
    notes: rows.length === 0 ? ['本期没有需要预警的党员。'] : ['党章第九条：连续六个月不参加党的组织生活……被认为是自行脱党。提前提醒，留出谈心谈话的时间。']
  }
}
