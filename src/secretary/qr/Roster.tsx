import { Text, View } from '@tarojs/components'
import type { Roster, RosterRow } from '../../api/sessions'
import { getCachedMe } from '../../api/session'
import { sessionFigures, sessionOver } from '../../core/checkin/attendance'
import { proxyDeadline } from '../../core/checkin/proxy'
import { EXPECTED_WORD, FINAL_WORDS, NOT_CHECKED_IN_WORD, NOT_STARTED_WORD, PRESENT_WORD, RATE_WORD, rateText } from '../../core/checkin/words'
import Group from '../components/Group'
import RosterItem from './RosterItem'

/**
 * The word for those not checked in: 未签到 until the session is over, then
 * 缺席 (core/checkin/words.ts), as on the member's own page.
 */
export function missingWord(roster: Roster, now: number): string {
  return sessionOver(roster.session, now) ? FINAL_WORDS.absent : NOT_CHECKED_IN_WORD
}

/** 应到 / 实到 / 请假 / 未签到 (缺席 once over) in big figures, and the attendance rate once the session is over. */
// notOpen is accepted and unused: before check-in opens the not-yet-arrived are counted as 未签到 all the same.
export function RosterCounts({ roster, showRate }: { roster: Roster; showRate: boolean; notOpen?: boolean }) {
  const f = sessionFigures({ ...roster.counts, leavePending: roster.counts.leavePending ?? roster.rows.filter((r) => r.state === 'leave_pending').length })
  return (
    <>
      <View className='roster-counts'>
        <View className='roster-count roster-count-expected' data-value={f.expected}>
          <Text className='roster-count-value'>{f.expected}</Text>
          <Text className='roster-count-label'>{EXPECTED_WORD}</Text>
        </View>
        <View className='roster-count roster-count-attended' data-value={f.present}>
          <Text className='roster-count-value'>{f.present}</Text>
          <Text className='roster-count-label'>{PRESENT_WORD}{f.late ? `（迟到 ${f.late}）` : ''}</Text>
        </View>
        <View className='roster-count roster-count-leave' data-value={f.leave}>
          <Text className='roster-count-value'>{f.leave}</Text>
          <Text className='roster-count-label'>{FINAL_WORDS.leave}</Text>
        </View>
        <View className='roster-count roster-count-absent' data-value={f.missing}>
          <Text className='roster-count-value'>{f.missing}</Text>
          {/* Nobody is 缺席 before the session is over; a request not yet approved excuses nobody. */}
          <Text className='roster-count-label'>{missingWord(roster, Date.now())}</Text>
        </View>
      </View>
      {showRate ? (
        <Text className='roster-rate'>
          {RATE_WORD} {rateText(f.rate)}：{PRESENT_WORD} {f.present} 人 ÷（{EXPECTED_WORD} {f.expected} 人 − 准假 {f.leave} 人）
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
  /** Check-in has not opened yet: the not-yet-arrived are 未开始, not 未签到. */
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
  const missing = missingWord(roster, Date.now())
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
        stateLabel={r.state === 'absent' ? (notOpen ? NOT_STARTED_WORD : missing) : undefined}
        onProxied={onChanged}
      />
    )
  }
  return (
    <View className='roster'>
      {/* A request still waiting excuses nobody yet: its row stays with the not-arrived, worded 请假待审批, as the tiles count it. */}
      <Group prefix='roster' title={missing} rows={byState('absent', 'leave_pending')}>
        {item(!cancelled)}
      </Group>
      <Group prefix='roster' title={PRESENT_WORD} rows={byState('attended', 'late')}>
        {item(false)}
      </Group>
      <Group prefix='roster' title={FINAL_WORDS.leave} rows={byState('leave_approved')}>
        {item(!cancelled)}
      </Group>
      {roster.rows.length === 0 ? <Text className='roster-empty'>这场活动没有应到人员。</Text> : null}
      {!cancelled && !proxyOpen ? <Text className='roster-empty roster-proxy-closed'>代签只在签到时间内和活动当天办理；没能参加的同志可以安排补学。</Text> : null}
    </View>
  )
}
