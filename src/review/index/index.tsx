import { useEffect, useRef, useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { clearSelfDraft, clearSheetDraft, currentReview, getReview, readSelfDraft, readSheetDraft, saveSelfEvaluation, submitGrades, writeSelfDraft, writeSheetDraft, type ReviewView } from '../../api/review'
import StatusBlock from '../../components/StatusBlock'
import { withPageBoundary } from '../../components/PageBoundary'
import { REVIEW_STAGE_LABELS, SELF_TEXT_MAX, type Grade } from '../../core/vocab/review'
import { useAction } from '../../hooks/useAction'
import { useLargeText } from '../../hooks/useLargeText'
import { useRequest } from '../../hooks/useRequest'
import { confirmDanger } from '../../secretary/lib/confirm'
import GradeChoices from '../GradeChoices'
import LifeMeetings from '../LifeMeetings'
import { SECRECY_NOTE, outcomeText, selfCopyNotice } from '../words'
import './index.scss'

/** 自我评价: typed text stays on the phone until the server has it. */
function SelfEvaluation({ review, onSaved }: { review: ReviewView; onSaved: () => void }) {
  const saved = review.me?.selfText ?? ''
  const restored = useRef(readSelfDraft(review.reviewId))
  const [text, setText] = useState(restored.current ?? saved)
  const [done, setDone] = useState('')
  const act = useAction()
  useEffect(() => {
    if (text && text !== saved) writeSelfDraft(review.reviewId, text)
  }, [text, saved, review.reviewId])

  if (review.me?.outcome) {
    return saved ? <Text className='rv-self-text'>{saved}</Text> : <Text className='form-hint'>没有写自我评价。</Text>
  }
  const onSave = () => {
    if (!text.trim()) {
      act.setMessage('请先写几句自我评价')
      return
    }
    void act.run(async () => {
      const out = await saveSelfEvaluation(review.reviewId, text)
      clearSelfDraft(review.reviewId)
      setDone(out.copiedWords > 0 ? `已保存。${selfCopyNotice(out.copiedWords, 'mine')}` : '已保存，支委会开会前还可以修改')
      onSaved()
    }, '没有保存成功，请稍后再试；写的内容还在这台手机上')
  }
  return (
    <View className='rv-self'>
      {restored.current && restored.current !== saved ? <Text className='form-hint'>已恢复上次没有保存的内容。</Text> : null}
      <Textarea
        className='form-textarea rv-self-input'
        value={text}
        maxlength={SELF_TEXT_MAX}
        autoHeight
        placeholder='一年来学习、工作、作风方面做得怎样，有哪些不足，今后怎么改进'
        onInput={(e) => {
          setDone('')
          setText(e.detail.value)
        }}
      />
      {act.message ? <Text className='form-error rv-self-error'>{act.message}</Text> : null}
      {done ? <Text className='form-hint rv-self-saved'>{done}</Text> : null}
      {!done && review.me?.selfCopiedWords ? <Text className='form-hint rv-self-copied'>{selfCopyNotice(review.me.selfCopiedWords, 'mine')}</Text> : null}
      <Button className='form-submit rv-self-save' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={onSave}>保存自我评价</Button>
    </View>
  )
}

/** The grade sheet: one row per colleague, four big choices each, the 优秀 limit counted as one taps. */
function GradeSheet({ review, meId, onDone }: { review: ReviewView; meId: string; onDone: () => void }) {
  const others = review.members.filter((m) => m.id !== meId)
  // Only colleagues still on this sheet: a draft can never carry a name the review no longer has.
  const [sheet, setSheet] = useState<Record<string, Grade>>(() =>
    Object.fromEntries(Object.entries(readSheetDraft(review.reviewId) ?? {}).filter(([id]) => others.some((m) => m.id === id)))
  )
  const act = useAction()
  const choose = (id: string, g: Grade) =>
    setSheet((s) => {
      const next = { ...s, [id]: g }
      writeSheetDraft(review.reviewId, next)
      return next
    })
  const excellent = Object.values(sheet).filter((g) => g === 'excellent').length
  const over = excellent > review.sheetExcellentLimit
  const left = others.filter((m) => !sheet[m.id]).length

  const onSubmit = async () => {
    if (left > 0) return act.setMessage(`还有 ${left} 位同志没有评定`)
    if (over) return act.setMessage(`评为“优秀”的最多 ${review.sheetExcellentLimit} 位`)
    const sure = await confirmDanger({ title: '提交评定？', content: `提交后不能修改。${SECRECY_NOTE}`, confirmText: '提交', cancelText: '再看看' })
    if (!sure) return
    void act.run(async () => {
      await submitGrades(review.reviewId, sheet)
      clearSheetDraft(review.reviewId)
      onDone()
    }, '没有提交成功，请稍后再试')
  }

  return (
    <View className='rv-sheet'>
      <Text className='form-hint'>{SECRECY_NOTE}</Text>
      <Text className={`rv-limit${over ? ' rv-limit--over' : ''}`} data-excellent={excellent}>
        已评“优秀” {excellent} 位，最多 {review.sheetExcellentLimit} 位
      </Text>
      {others.map((m) => (
        <View key={m.id} className='rv-person' data-member-id={m.id}>
          <Text className='rv-person-name'>{m.name}</Text>
          <GradeChoices value={sheet[m.id]} onChange={(g) => choose(m.id, g)} />
        </View>
      ))}
      {act.message ? <Text className='form-error rv-sheet-error'>{act.message}</Text> : null}
      <Button className='form-submit rv-submit' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={() => void onSubmit()}>提交评定</Button>
    </View>
  )
}

function decoded(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '')
  } catch {
    return raw ?? ''
  }
}

/** 民主评议 for a member: the 自我评价, the secret grade sheet, and the own result once the committee records it. */
function ReviewPage() {
  const lt = useLargeText()
  const [round, setRound] = useState(0)
  // From a message in 消息: that review, even when the member has since moved to a branch with a newer one.
  const asked = decoded(useRouter().params.reviewId)
  const req = useRequest(`review:${asked || 'current'}:${round}`, () => (asked ? getReview(asked) : currentReview()))
  const r = req.data
  const reload = () => setRound((n) => n + 1)
  // A sheet sent from another phone, or a review closed meanwhile: the kept draft has no further use.
  useEffect(() => {
    if (r && (r.me?.voted || r.status !== 'open')) clearSheetDraft(r.reviewId)
  }, [r])
  return (
    <View className={`page rv-page ${lt.className}`}>
      <Text className='page-title'>民主评议党员</Text>
      {req.data === null ? <Text className='page-lead rv-none'>本支部目前没有民主评议。</Text> : null}
      {!r ? <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} /> : (
        <View className='rv-body' data-status={r.status}>
          <Text className='page-lead'>{r.branchName} {r.year} 年度 · {REVIEW_STAGE_LABELS[r.status]}</Text>
          <Text className='rv-progress'>已有 {r.voted} 位同志完成评定，共 {r.members.length} 位</Text>
          {r.me?.outcome ? (
            <View className='rv-card rv-outcome'>
              <Text className='rv-card-title'>支委会评定的结果</Text>
              <Text className='rv-outcome-text'>{outcomeText(r.me.outcome)}</Text>
            </View>
          ) : null}
          {r.me ? (
            <View className='rv-card'>
              <Text className='rv-card-title'>自我评价</Text>
              <SelfEvaluation review={r} onSaved={reload} />
            </View>
          ) : null}
          {r.me ? (
            <View className='rv-card'>
              <Text className='rv-card-title'>评议其他同志</Text>
              {r.me.voted ? <Text className='rv-voted'>您已经完成评定，谢谢。{SECRECY_NOTE}</Text>
                : r.status === 'open' ? <GradeSheet review={r} meId={r.me.memberId} onDone={reload} />
                : <Text className='form-hint'>评议已经结束。</Text>}
            </View>
          ) : null}
          <LifeMeetings r={r} />
          {r.officer ? (
            <Button className='form-button-plain rv-manage' onClick={() => Taro.navigateTo({ url: '/review/manage/index' })}>书记、支委：办理这次评议</Button>
          ) : null}
        </View>
      )}
    </View>
  )
}

export default withPageBoundary(ReviewPage)
