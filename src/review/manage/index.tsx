import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { closeGrading, currentReview, decideOutcomes, openReview, reviewTally, type ReviewOutcome, type ReviewView, type TallyResult } from '../../api/review'
import StatusBlock from '../../components/StatusBlock'
import { withPageBoundary } from '../../components/PageBoundary'
import { periodKeysOf } from '../../core/period'
import { GRADES, GRADE_LABELS, OUTCOME_REASON_MAX, REVIEW_STAGE_LABELS, outcomeNeedsReason, type Grade } from '../../core/vocab/review'
import { useAction } from '../../hooks/useAction'
import { useLargeText } from '../../hooks/useLargeText'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { confirmDanger } from '../../secretary/lib/confirm'
import GradeChoices from '../GradeChoices'
import LifeMeetings from '../LifeMeetings'
import { SECRECY_NOTE, outcomeText, selfCopyNotice } from '../words'
import './index.scss'

const countsText = (counts: Record<Grade, number> | undefined) => (counts ? GRADES.map((g) => `${GRADE_LABELS[g]} ${counts[g]}`).join('　') : '')

/** The year in Shanghai, where the 党委's calendar runs. */
const shanghaiYear = () => Number(periodKeysOf(Date.now()).year)

function OpenReview({ branchId, latestYear, onOpened }: { branchId: string; latestYear: number | null; onOpened: () => void }) {
  const act = useAction()
  const year = shanghaiYear()
  // The review of a year is usually held early in the next one.
  const years = [year - 1, year].filter((y) => latestYear === null || y > latestYear)
  if (years.length === 0) return null
  return (
    <View className='rv-card rv-open'>
      <Text className='rv-card-title'>开启民主评议</Text>
      <Text className='form-hint'>开启后，本支部每位党员都能写自我评价、评议其他同志。{SECRECY_NOTE}</Text>
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      {years.map((y) => (
        <Button key={y} className={`form-submit rv-open-${y}`} loading={act.busy || undefined} disabled={act.busy || undefined}
          onClick={() => void act.run(async () => { await openReview(branchId, y); onOpened() }, '没有开启成功，请稍后再试')}>
          开启 {y} 年度民主评议
        </Button>
      ))}
    </View>
  )
}

function Progress({ r, onClosed }: { r: ReviewView; onClosed: () => void }) {
  const act = useAction()
  const onClose = async () => {
    const sure = await confirmDanger({
      title: '结束评议？',
      content: `已有 ${r.voted} 位同志完成评定，共 ${r.members.length} 位。结束后不能再评定，才能看到汇总。`,
      confirmText: '结束',
      cancelText: '再等等'
    })
    if (sure) void act.run(async () => { await closeGrading(r.reviewId); onClosed() }, '没有结束成功，请稍后再试')
  }
  return (
    <View className='rv-card rv-progress-card'>
      <Text className='rv-card-title'>评议进度</Text>
      <Text className='rv-progress'>已有 {r.voted} 位同志完成评定，共 {r.members.length} 位</Text>
      {r.officer && r.officer.notYet.length > 0 ? <Text className='rv-not-yet'>还没有评定：{r.officer.notYet.map((m) => m.name).join('、')}</Text> : null}
      <Text className='form-hint'>评议结束后才能看到汇总。{SECRECY_NOTE}</Text>
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      <Button className='form-submit rv-close' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={() => void onClose()}>结束评议</Button>
    </View>
  )
}

type TallyRequest = ReturnType<typeof useRequest<TallyResult>>

function Tally({ req }: { req: TallyRequest }) {
  const t = req.data
  if (!t) return <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />
  return (
    <View className='rv-card rv-tally' data-ballots={t.ballots}>
      <Text className='rv-card-title'>评议汇总（收回 {t.ballots} 张）</Text>
      {!t.shown ? <Text className='form-hint rv-tally-withheld'>{t.reason}</Text> : t.rows.map((row) => (
        <View key={row.memberId} className='rv-tally-row' data-member-id={row.memberId}>
          <Text className='rv-person-name'>{row.name}</Text>
          <Text className='rv-tally-counts'>{countsText(row.counts)}</Text>
        </View>
      ))}
    </View>
  )
}

/** The committee's outcomes: one grade each, a reason for 基本合格 / 不合格, 优秀 within the limit. */
function Outcomes({ r, tally, onSaved }: { r: ReviewView; tally: TallyResult | undefined; onSaved: () => void }) {
  const [chosen, setChosen] = useState<Record<string, ReviewOutcome>>(() => Object.fromEntries((r.officer?.outcomes ?? []).map((o) => [o.memberId, { grade: o.grade, ...(o.reason ? { reason: o.reason } : {}) }])))
  const [saved, setSaved] = useState('')
  const act = useAction()
  const excellent = Object.values(chosen).filter((o) => o.grade === 'excellent').length
  const set = (id: string, o: Partial<ReviewOutcome>) => {
    setSaved('')
    setChosen((c) => ({ ...c, [id]: { ...c[id], ...o } as ReviewOutcome }))
  }
  const onSave = () => {
    const missing = r.members.filter((m) => outcomeNeedsReason(chosen[m.id]?.grade) && !chosen[m.id]?.reason?.trim())
    if (missing.length > 0) return act.setMessage(`请写明 ${missing.map((m) => m.name).join('、')} 的理由`)
    if (excellent > r.outcomeExcellentLimit) return act.setMessage(`评为“优秀”的最多 ${r.outcomeExcellentLimit} 位`)
    const outcomes = Object.fromEntries(Object.entries(chosen).map(([id, o]) => [id, outcomeNeedsReason(o.grade) ? { grade: o.grade, reason: o.reason!.trim() } : { grade: o.grade }]))
    if (Object.keys(outcomes).length === 0) return act.setMessage('请先为党员选定评议结果')
    void act.run(async () => {
      const out = await decideOutcomes(r.reviewId, outcomes)
      setSaved(`已记录 ${out.decided} 位，共 ${out.of} 位；结果进入个人档案`)
      onSaved()
    }, '没有保存成功，请稍后再试')
  }
  return (
    <View className='rv-card rv-outcomes'>
      <Text className='rv-card-title'>支委会评定结果</Text>
      <Text className={`rv-limit${excellent > r.outcomeExcellentLimit ? ' rv-limit--over' : ''}`}>“优秀” {excellent} 位，最多 {r.outcomeExcellentLimit} 位</Text>
      {r.members.map((m) => (
        <View key={m.id} className='rv-person' data-member-id={m.id}>
          <Text className='rv-person-name'>{m.name}</Text>
          {/* The committee decides with the ballots in view, beside each name rather than in another card. */}
          {tally?.shown ? <Text className='rv-outcome-tally'>评议票：{countsText(tally.rows.find((row) => row.memberId === m.id)?.counts)}</Text> : null}
          <GradeChoices value={chosen[m.id]?.grade} onChange={(g) => set(m.id, { grade: g })} />
          {outcomeNeedsReason(chosen[m.id]?.grade) ? (
            <Input className='form-input rv-reason' value={chosen[m.id]?.reason ?? ''} maxlength={OUTCOME_REASON_MAX} placeholder='理由（必填）' onInput={(e) => set(m.id, { reason: e.detail.value })} />
          ) : null}
        </View>
      ))}
      {act.message ? <Text className='form-error rv-outcomes-error'>{act.message}</Text> : null}
      {saved ? <Text className='form-hint rv-outcomes-saved'>{saved}</Text> : null}
      <Button className='form-submit rv-decide' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={onSave}>保存评定结果</Button>
    </View>
  )
}

/** 民主评议 for the branch committee: open the year's review, follow it, close it, read the tally, record the outcomes. */
function ReviewManagePage() {
  const lt = useLargeText()
  const { me } = useMe()
  const [round, setRound] = useState(0)
  const req = useRequest(`review:manage:${round}`, currentReview)
  const reload = () => setRound((n) => n + 1)
  const r = req.data
  const officer = !!r?.officer
  const closed = !!r && officer && r.status === 'closed'
  const tally = useRequest(closed ? `review:tally:${r!.reviewId}` : null, () => reviewTally(r!.reviewId))
  // Before any review exists the server cannot say; the roles can (the server checks again on open).
  const mayOpen = !!me && me.member.roles.some((x) => x.role === 'secretary' || x.role === 'committee' || x.role === 'admin')
  return (
    <View className={`page rv-page rv-manage-page ${lt.className}`}>
      <Text className='page-title'>民主评议党员</Text>
      {req.data === undefined ? <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} /> : null}
      {r ? <Text className='page-lead'>{r.branchName} {r.year} 年度 · {REVIEW_STAGE_LABELS[r.status]}</Text> : null}
      {r && !officer ? <Text className='page-lead'>只有本支部书记、支委可以办理。</Text> : null}
      {me && mayOpen && req.data !== undefined && (!r || (officer && r.status === 'closed')) ? <OpenReview branchId={me.member.branchId} latestYear={r ? r.year : null} onOpened={reload} /> : null}
      {r && officer && r.status === 'open' ? <Progress r={r} onClosed={reload} /> : null}
      {closed ? <Tally req={tally} /> : null}
      {closed ? <Outcomes key={r!.reviewId} r={r!} tally={tally.data} onSaved={reload} /> : null}
      {r && officer ? <LifeMeetings r={r} /> : null}
      {r?.me ? (
        // Officers are reviewed too: their own 自我评价 and sheet are on the members' page.
        <Button className='form-button-plain rv-own' onClick={() => Taro.navigateTo({ url: '/review/index/index' })}>我的自我评价和评定</Button>
      ) : null}
      {r && officer && r.officer!.selves.length > 0 ? (
        <View className='rv-card rv-selves'>
          <Text className='rv-card-title'>自我评价（{r.officer!.selves.length} 篇）</Text>
          {r.officer!.selves.map((s) => (
            <View key={s.memberId} className='rv-self-item'>
              <Text className='rv-person-name'>{s.name}{r.officer!.outcomes.find((o) => o.memberId === s.memberId) ? ` · ${outcomeText(r.officer!.outcomes.find((o) => o.memberId === s.memberId)!)}` : ''}</Text>
              <Text className='rv-self-text'>{s.text}</Text>
              {s.copiedWords > 0 ? <Text className='form-hint rv-self-copied'>{selfCopyNotice(s.copiedWords, 'theirs')}</Text> : null}
            </View>
          ))}
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(ReviewManagePage)
