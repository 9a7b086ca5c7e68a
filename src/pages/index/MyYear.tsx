import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { MyRecord } from '../../api/checkin'
import type { NoteProgress } from '../../api/notes'
import type { MemberRankingResult } from '../../api/stats'
import { percentText } from '../../components/format'
import { paceLabel } from '../../components/notePace'

interface Props {
  year: number
  record: MyRecord | undefined
  progress: NoteProgress | undefined
  figures: MemberRankingResult | undefined
}

function Row({ kind, label, value, sub, url, children }: { kind: string; label: string; value: ReactNode; sub?: ReactNode; url: string; children?: ReactNode }) {
  return (
    <View className={`home-year-row home-year-${kind}`} hoverClass='home-year-row--pressed' onClick={() => Taro.switchTab({ url })}>
      <View className='home-year-main'>
        <Text className='home-year-label'>{label}</Text>
        <Text className='home-year-value'>{value}</Text>
      </View>
      {children}
      {sub ? <Text className='home-year-sub'>{sub}</Text> : null}
    </View>
  )
}

const n = (x: number) => x.toLocaleString('zh-CN')

/**
 * 我的 {year} 年 at a glance: notes against the quota with the pace, the
 * attendance rate, points. Each row opens the tab that explains it. A row
 * whose figures have not come yet is left out rather than shown as zero.
 */
export default function MyYear({ year, record: rec, progress: prog, figures }: Props) {
  // The home is the first screen: an answer of the wrong shape (a half-deployed update) drops its
  // row rather than taking the whole page down; the tab it belongs to shows the trouble.
  const progress = prog && Number.isFinite(prog.creditedWords) && Number.isFinite(prog.wordQuota) ? prog : undefined
  const record = rec && rec.counts && typeof rec.counts.due === 'number' ? rec : undefined
  const me = figures?.me ?? null
  const showPoints = !!(me && figures?.showPoints && Number.isFinite(me.points))
  return (
    <View className='home-section home-year'>
      <Text className='home-section-title'>我的 {year} 年</Text>
      {progress ? (
        <Row
          kind='notes'
          label='笔记'
          url='/pages/notes/index'
          value={
            progress.exempt || progress.wordQuota === 0 ? (
              <Text className='num'>{n(progress.creditedWords)} 字</Text>
            ) : (
              <>
                <Text className='num'>{n(progress.creditedWords)}</Text>
                <Text className='home-year-of num'> / {n(progress.wordQuota)} 字</Text>
              </>
            )
          }
          sub={
            progress.exempt
              ? '已免除字数要求，写的笔记照样记录。'
              : progress.notes === 0
                ? '今年还没有写笔记，点这里写第一篇。'
                : progress.paceSentence || undefined
          }
        >
          {!progress.exempt && progress.notes > 0 ? <Text className={`home-year-pace home-year-pace-${progress.paceStatus}`}>{paceLabel(progress.paceStatus)}</Text> : null}
        </Row>
      ) : null}
      {record ? (
        <Row
          kind='attendance'
          label='出勤率'
          url='/pages/me/index'
          value={<Text className='num'>{percentText(record.rate)}</Text>}
          sub={
            record.counts.due === 0
              ? '今年还没有需要您参加、已经举行的活动。'
              : (
                  <>
                    应到 <Text className='num'>{record.counts.due} 场</Text>，实到 <Text className='num'>{record.counts.attended + record.counts.late} 场</Text>
                  </>
                )
          }
        />
      ) : null}
      {showPoints && me ? <Row kind='points' label='积分' url='/pages/ranking/index' value={<Text className='num'>{n(me.points)} 分</Text>} /> : null}
    </View>
  )
}
