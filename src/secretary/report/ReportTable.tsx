import { Text, View } from '@tarojs/components'
import type { ReportBranchRow } from '../../api/stats'
import { percentText } from '../../components/format'
import { perMemberText } from '../../components/statsText'

const COLUMNS = [
  { key: 'rank', title: '名次' },
  { key: 'name', title: '支部' },
  { key: 'members', title: '人数' },
  { key: 'meet', title: '组织生活' },
  { key: 'att', title: '参会率' },
  { key: 'quota', title: '笔记完成率' },
  { key: 'ppm', title: '人均积分' },
  { key: 'yellow', title: '黄' },
  { key: 'red', title: '红' },
  { key: 'alert', title: '预警' },
  { key: 'score', title: '综合得分' },
  { key: 'flag', title: '红旗候选' }
] as const

const FLAG_TEXT: Record<ReportBranchRow['redFlag'], string> = { candidate: '候选', qualified: '符合条件', not_qualified: '不符合' }

/**
 * Scores with as few decimals as tell the ranks apart (one at least, three
 * at most): the ranking compares the exact scores, so two branches of
 * different rank must never print the same figure.
 */
export function scoreTexts(rows: readonly Pick<ReportBranchRow, 'rank' | 'score'>[]): string[] {
  const sorted = [...rows].sort((a, b) => a.rank - b.rank)
  let digits = 1
  for (; digits < 3; digits++) {
    const clash = sorted.some((r, i) => i > 0 && r.rank !== sorted[i - 1].rank && r.score.toFixed(digits) === sorted[i - 1].score.toFixed(digits))
    if (!clash) break
  }
  return rows.map((r) => r.score.toFixed(digits))
}

function cells(r: ReportBranchRow, score: string): Record<(typeof COLUMNS)[number]['key'], string> {
  return {
    rank: String(r.rank),
    name: r.name,
    members: String(r.members),
    meet: r.meetings.due > 0 ? `${r.meetings.met}/${r.meetings.due} 项` : '—',
    att: percentText(r.attendanceRate),
    quota: percentText(r.quotaRate),
    ppm: perMemberText(r.pointsPerMember),
    yellow: String(r.yellow),
    red: String(r.red),
    alert: String(r.alerts),
    score,
    flag: FLAG_TEXT[r.redFlag]
  }
}

/**
 * The branches of the report as a table. On a phone it scrolls sideways
 * inside its own box (the page itself never does); printed, it fits the page.
 */
export default function ReportTable({ rows }: { rows: ReportBranchRow[] }) {
  const scores = scoreTexts(rows)
  return (
    <View className='report-table-wrap'>
      <View className='report-table'>
        <View className='report-tr report-thead'>
          {COLUMNS.map((c) => (
            <Text key={c.key} className={`report-td rc-${c.key}`}>
              {c.title}
            </Text>
          ))}
        </View>
        {rows.map((r, i) => {
          const v = cells(r, scores[i])
          return (
            <View key={r.branchId} className={`report-tr report-branch report-flag-${r.redFlag}`} data-branch-id={r.branchId} data-rank={r.rank} data-red-flag={r.redFlag}>
              {COLUMNS.map((c) => (
                <Text key={c.key} className={`report-td rc-${c.key}`}>
                  {v[c.key]}
                </Text>
              ))}
            </View>
          )
        })}
      </View>
    </View>
  )
}
