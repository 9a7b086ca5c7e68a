import { Text, View } from '@tarojs/components'
import type { ReportBranchRow } from '../../api/stats'
import { percentText } from '../../components/format'
import { perMemberText } from '../../components/statsText'

const COLUMNS = [
  { key: 'rank', title: '名次' },
  { key: 'name', title: '支部' },
  { key: 'members', title: '人数' },
  { key: 'att', title: '参会率' },
  { key: 'quota', title: '笔记完成率' },
  { key: 'ppm', title: '人均积分' },
  { key: 'yellow', title: '黄' },
  { key: 'red', title: '红' },
  { key: 'alert', title: '预警' },
  { key: 'score', title: '综合得分' }
] as const

function cells(r: ReportBranchRow): Record<(typeof COLUMNS)[number]['key'], string> {
  return {
    rank: String(r.rank),
    name: r.name,
    members: String(r.members),
    att: percentText(r.attendanceRate),
    quota: percentText(r.quotaRate),
    ppm: perMemberText(r.pointsPerMember),
    yellow: String(r.yellow),
    red: String(r.red),
    alert: String(r.alerts),
    score: String(r.score)
  }
}

/**
 * The branches of the report as a table. On a phone it scrolls sideways
 * inside its own box (the page itself never does); printed, it fits the page.
 */
export default function ReportTable({ rows }: { rows: ReportBranchRow[] }) {
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
        {rows.map((r) => {
          const v = cells(r)
          return (
            <View key={r.branchId} className='report-tr report-branch' data-branch-id={r.branchId} data-rank={r.rank}>
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
