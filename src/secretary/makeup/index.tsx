import { useEffect, useMemo, useState } from 'react'
import { Button, Picker, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ApiError } from '../../api'
import { assignMakeUp } from '../../api/checkin'
import { getCachedMe } from '../../api/session'
import { roster as fetchRoster, type RosterRow } from '../../api/sessions'
import StatusBlock from '../../components/StatusBlock'
import { typeLabel, whenText } from '../../components/format'
import { useAction } from '../../hooks/useAction'
import { useRequest } from '../../hooks/useRequest'
import { useSessionParam } from '../../hooks/useSessionParam'
import { FINAL_WORDS, LEAVE_PENDING_WORD } from '../../core/checkin/words'
import MemberPicker from '../components/MemberPicker'
import { dateValue, shanghaiEpoch } from '../lib/time'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const DAY = 24 * 60 * 60 * 1000
const NOTES: Partial<Record<RosterRow['state'], string>> = {
  absent: FINAL_WORDS.absent,
  leave_approved: FINAL_WORDS.leave,
  leave_pending: LEAVE_PENDING_WORD
}

/** 安排补学: pick those absent or on leave, set a deadline; they see it on the session and in 我的. */
function MakeUpAssign() {
  const lt = useLargeText()
  const sessionId = useSessionParam()
  const req = useRequest(sessionId ? `roster:${sessionId}` : null, () => fetchRoster(sessionId))
  const missed = useMemo(() => (req.data?.rows ?? []).filter((r) => NOTES[r.state]), [req.data])
  // Nobody assigns their own make-up (the server refuses it too): another officer does.
  const myId = getCachedMe()?.member._id
  const candidates = useMemo(() => missed.filter((r) => r.member._id !== myId), [missed, myId])
  const [selected, setSelected] = useState<string[]>([])
  const [deadline, setDeadline] = useState(() => dateValue(Date.now() + 14 * DAY))
  const act = useAction()
  const [done, setDone] = useState<number | null>(null)

  useEffect(() => {
    // Start with everyone who missed it; the secretary unticks whoever already caught up.
    setSelected(candidates.filter((r) => r.state === 'absent' || r.state === 'leave_approved').map((r) => r.member._id))
  }, [candidates])

  const submit = () => {
    if (selected.length === 0) {
      act.setMessage('请至少选择一位同志')
      return
    }
    const due = shanghaiEpoch(deadline, '23:59')
    if (!Number.isFinite(due) || due <= Date.now()) {
      act.setMessage('完成期限要在今天之后')
      return
    }
    void act.run(async () => {
      const out = await assignMakeUp(sessionId, selected, due)
      setDone(out.length || selected.length)
    }, '没有安排成功，请稍后再试')
  }

  if (!sessionId) {
    return (
      <View className={`page makeup-page ${lt.className}`}>
        <StatusBlock error={new ApiError('NOT_FOUND', '没有指定活动，请从活动列表进入')} />
      </View>
    )
  }
  if (!req.data) {
    return (
      <View className={`page makeup-page ${lt.className}`}>
        <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />
      </View>
    )
  }
  const s = req.data.session

  if (done !== null) {
    return (
      <View className={`page makeup-page ${lt.className}`}>
        <View className='makeup-done' data-count={done}>
          <Text className='makeup-done-title'>已为 {done} 位同志安排补学</Text>
          <Text className='makeup-done-line'>他们打开这场活动就能看到补学要求，请在 {deadline} 前完成。</Text>
        </View>
        <Button
          className='makeup-go-review'
          onClick={() => Taro.redirectTo({ url: `/secretary/makeups/index?id=${encodeURIComponent(sessionId)}` })}
        >
          查看补学情况
        </Button>
        <Button className='makeup-back' onClick={() => Taro.navigateBack().catch(() => undefined)}>
          返回
        </Button>
      </View>
    )
  }

  return (
    <View className={`page makeup-page ${lt.className}`}>
      <View className='makeup-head'>
        <Text className='makeup-type'>{typeLabel(s.type)}</Text>
        <Text className='makeup-title'>{s.title}</Text>
        <Text className='makeup-when'>{whenText(s.startAt, s.endAt)}</Text>
      </View>
      {candidates.length === 0 ? (
        <Text className='makeup-empty'>{missed.length > 0 ? '自己的补学由其他支委或上级安排。' : '这场活动没有缺席或请假的同志，不需要安排补学。'}</Text>
      ) : (
        <>
          <Text className='makeup-lead'>选择需要补学的同志（已勾选缺席和已准假的）：</Text>
          <MemberPicker
            items={candidates.map((r) => ({ id: r.member._id, name: r.member.name, note: NOTES[r.state] }))}
            selected={selected}
            onChange={setSelected}
          />
          <View className='makeup-deadline'>
            <Text className='makeup-label'>完成期限</Text>
            <Picker mode='date' value={deadline} start={dateValue(Date.now() + DAY)} onChange={(e) => setDeadline(String(e.detail.value))}>
              <View className='makeup-picker makeup-deadline-picker' data-value={deadline}>
                {deadline} 当天内
              </View>
            </Picker>
          </View>
          <Text className='makeup-hint'>补学的同志要写一段至少 50 字的学习心得，书记确认后记为“已补学”。</Text>
          {missed.length > candidates.length ? <Text className='makeup-hint makeup-self-note'>自己的补学由其他支委或上级安排。</Text> : null}
          {act.message ? <Text className='makeup-error'>{act.message}</Text> : null}
          <Button className='makeup-assign' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={submit}>
            安排补学（{selected.length} 人）
          </Button>
        </>
      )}
    </View>
  )
}

export default withPageBoundary(MakeUpAssign)
