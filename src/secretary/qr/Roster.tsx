import { Text, View } from '@tarojs/components'
import type { Roster, RosterRow } from '../../api/sessions'
import { getCachedMe } from '../../api/session'
import { percentText } from '../../components/format'
import { proxyDeadline } from '../../core/checkin/proxy'
import Group from '../components/Group'
import RosterItem from './RosterItem'

/** 应到 / 已到 / 请假 / 未到 in big figures, and the attendance rate once the session is over. */
export function RosterCounts({ roster, showRate, notOpen = false }: { roster: Roster; showRate: boolean; notOpen?: boolean }) {
  const { counts } = roster
  const arrived = counts.attended + counts.late
  const leavePending = counts.leavePending ?? roster.rows.filter((r) => r.state === 'leave_pending').length
  // 应到 for the rate: approved leave is excused, a pending request is not (yet).
  const due = counts.expected - (counts.leave - leavePending)
  return (
    <>
      <View className='roster-counts'>
        <View className='roster-count roster-count-expected' data-value={counts.expected}>
          <Text className='roster-count-value'>{counts.expected}</Text>
          <Text className='roster-count-label'>应到</Text>
        </View>
        <View className='roster-count roster-count-attended' data-value={arrived}>
          <Text className='roster-count-value'>{arrived}</Text>
          <Text className='roster-count-label'>已到{counts.late ? `（迟到 ${counts.late}）` : ''}</Text>
        </View>
        <View className='roster-count roster-count-leave' data-value={counts.leave}>
          <Text className='roster-count-value'>{counts.leave}</Text>
          <Text className='roster-count-label'>请假</Text>
        </View>
        <View className='roster-count roster-count-absent' data-value={counts.absent}>
          <Text className='roster-count-value'>{counts.absent}</Text>
          {/* Before check-in opens nobody is missing yet. */}
          <Text className='roster-count-label'>{notOpen ? '待签到' : '未到'}</Text>
        </View>
      </View>
      {showRate ? (
        <Text className='roster-rate'>
          出勤率 {percentText(due > 0 ? arrived / due : null)}：已到 {arrived} 人 ÷ 应到 {due} 人（应到已去掉准假的 {counts.leave - leavePending} 人）
        </Text>
      ) : null}
    </>
  )
}

interface ListProps {
  roster: Roster
  sessionId: string
  /** No 代签 in a cancelled session. */
  cancelled: boolean
  /** Check-in has not opened yet: the not-yet-arrived are 待签到, not 未到. */
  notOpen?: boolean
  /** Ask for the list again now (after a 代签), rather than at the next poll. */
  onChanged: () => void
}

/** Who is missing first (the secretary's work at the door), then who came, then who is on leave. */
export function RosterList({ roster, sessionId, cancelled, notOpen = false, onChanged }: ListProps) {
  const byState = (...states: RosterRow['state'][]) => roster.rows.filter((r) => states.includes(r.state))
  // Nobody signs in or enters leave for themselves (the server refuses it too): no buttons on one's own row.
  const myId = getCachedMe()?.member._id
  const ended = Date.now() >= roster.session.endAt
  // 代签 only in the window or that same day (core/checkin/proxy.ts); leave may still be entered later.
  const proxyOpen = Date.now() <= proxyDeadline(roster.session)
  const item = (open: boolean) => (r: RosterRow) => {
    const mine = r.member._id === myId
    return (
      <RosterItem
        key={r.member._id}
        row={r}
        sessionId={sessionId}
        canProxy={open && proxyOpen && !mine}
        canRecordLeave={open && r.state === 'absent' && !mine}
        ended={ended}
        note={open && mine ? '自己的签到和请假由其他支委或上级办理' : undefined}
        stateLabel={notOpen && r.state === 'absent' ? '待签到' : undefined}
        onProxied={onChanged}
      />
    )
  }
  return (
    <View className='roster'>
      <Group prefix='roster' title={notOpen ? '待签到' : '未到'} rows={byState('absent')}>
        {item(!cancelled)}
      </Group>
      <Group prefix='roster' title='已到' rows={byState('attended', 'late')}>
        {item(false)}
      </Group>
      <Group prefix='roster' title='请假' rows={byState('leave_pending', 'leave_approved')}>
        {item(!cancelled)}
      </Group>
      {roster.rows.length === 0 ? <Text className='roster-empty'>这场活动没有应到人员。</Text> : null}
      {!cancelled && !proxyOpen ? <Text className='roster-empty roster-proxy-closed'>代签只在签到时间内和活动当天办理；没能参加的同志可以安排补学。</Text> : null}
    </View>
  )
}
