import { useEffect, useRef, useState } from 'react'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { clearMinutesDraft, getMinutes, lockMinutes, readMinutesDraft, saveMinutes, writeMinutesDraft, type MinutesPatch, type MinutesView } from '../../api/minutes'
import StatusBlock from '../../components/StatusBlock'
import { withPageBoundary } from '../../components/PageBoundary'
import { MINUTES_FIELD_LABELS, MINUTES_LIMITS, changedFields, type MinutesContent } from '../../core/minutes/record'
import { useAction } from '../../hooks/useAction'
import { useRequest } from '../../hooks/useRequest'
import { useSessionParam } from '../../hooks/useSessionParam'
import { confirmDanger } from '../../secretary/lib/confirm'
import MaterialPicker from '../components/MaterialPicker'
import SeminarPlanFields from '../components/SeminarPlanFields'
import { MinutesPhotosEdit } from '../components/Photos'
import './index.scss'

type TextField = 'agenda' | 'discussion' | 'decisions'

const TEXTS: Array<{ field: TextField; placeholder: string }> = [
  { field: 'agenda', placeholder: '这次学了什么、议了什么，例如：学习《中国共产党章程》第三章' },
  { field: 'discussion', placeholder: '谁发了言、说了什么要点' },
  { field: 'decisions', placeholder: '会上决定的事项；没有可不填' }
]

/** One tap on a name: no wheel to turn, every name in sight (a branch has at most about fifty). */
function PersonChips({ label, people, value, onChange, name }: { label: string; people: MinutesView['people']; value: string | null; onChange: (id: string) => void; name: string }) {
  return (
    <View className='form-field'>
      <Text className='form-label'>{label}</Text>
      <View className={`form-chips mne-${name}`} data-value={value ?? ''}>
        {people.map((p) => (
          <View
            key={p.memberId}
            className={`form-chip${p.memberId === value ? ' form-chip--on' : ''}`}
            data-member-id={p.memberId}
            role='radio'
            aria-checked={p.memberId === value}
            onClick={() => onChange(p.memberId)}
          >
            {p.name}
          </View>
        ))}
      </View>
    </View>
  )
}

/** The officer's form: what was typed is kept on the phone until the server has it. */
function Editor({ view, sessionId }: { view: MinutesView; sessionId: string }) {
  const locked = view.minutes.lockedAt !== null
  const restored = useRef(readMinutesDraft(sessionId))
  const [content, setContent] = useState<MinutesContent>(() => ({ ...view.minutes.content, ...(restored.current?.patch ?? {}) }))
  const [base, setBase] = useState<number | null>(restored.current?.baseUpdatedAt ?? view.minutes.updatedAt)
  const [reason, setReason] = useState('')
  const [saved, setSaved] = useState('')
  const act = useAction()
  const patch = (): MinutesPatch => Object.fromEntries(changedFields(view.minutes.content, content).map((f) => [f, content[f]]))

  useEffect(() => {
    const p = patch()
    if (Object.keys(p).length > 0) writeMinutesDraft(sessionId, { patch: p, baseUpdatedAt: base })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [content])

  const set = <K extends keyof MinutesContent>(k: K, v: MinutesContent[K]) => {
    setSaved('')
    setContent((c) => ({ ...c, [k]: v }))
  }

  const onSave = () => {
    const p = patch()
    if (Object.keys(p).length === 0) {
      act.setMessage('没有需要保存的修改')
      return
    }
    if (locked && !reason.trim()) {
      act.setMessage('记录已经锁定，请写明更正原因')
      return
    }
    void act.run(async () => {
      const out = await saveMinutes(sessionId, p, base, locked ? reason.trim() : undefined)
      clearMinutesDraft(sessionId)
      setBase(out.updatedAt)
      setSaved(locked ? '已更正，更正记录已留存' : '已保存')
      Taro.navigateBack().catch(() => undefined)
    }, '没有保存成功，请稍后再试；写的内容还在这台手机上')
  }

  const onLock = async () => {
    if (base === null) {
      act.setMessage('请先保存记录再锁定')
      return
    }
    const sure = await confirmDanger({
      title: '锁定这份会议记录？',
      content: '锁定后不能直接修改，只能写明原因更正，更正会留下记录。',
      confirmText: '锁定',
      cancelText: '先不锁定'
    })
    if (!sure) return
    void act.run(async () => {
      await lockMinutes(sessionId, base)
      Taro.navigateBack().catch(() => undefined)
    }, '没有锁定成功，请稍后再试')
  }

  return (
    <View className='mne-form'>
      {restored.current ? <Text className='form-hint mne-restored'>已恢复上次没有保存的内容。</Text> : null}
      {locked ? <Text className='form-hint mne-locked'>记录已经锁定。修改会作为“更正”留下记录，请写明原因。</Text> : null}
      {view.session.type === 'seminar' ? (
        <SeminarPlanFields topic={content.topic} speakerIds={content.speakerIds} people={view.people} onTopic={(t) => set('topic', t)} onSpeakers={(ids) => set('speakerIds', ids)} />
      ) : null}
      <PersonChips label='主持人' name='chair' people={view.people} value={content.chairId} onChange={(id) => set('chairId', id)} />
      <PersonChips label='记录人' name='recorder' people={view.people} value={content.recorderId} onChange={(id) => set('recorderId', id)} />
      {TEXTS.map(({ field, placeholder }) => (
        <View className='form-field' key={field}>
          <Text className='form-label'>{MINUTES_FIELD_LABELS[field]}</Text>
          <Textarea
            className={`form-textarea mne-${field}`}
            value={content[field]}
            placeholder={placeholder}
            maxlength={MINUTES_LIMITS[field]}
            autoHeight
            onInput={(e) => set(field, e.detail.value)}
          />
          {field === 'agenda' ? <MaterialPicker branchId={view.session.branchId} value={content.materialIds} max={MINUTES_LIMITS.materials} onChange={(ids) => set('materialIds', ids)} /> : null}
        </View>
      ))}
      <Text className='form-hint'>出席、请假、缺席和补学情况由签到记录自动生成，不用填写。</Text>
      {locked ? (
        <View className='form-field'>
          <Text className='form-label'>更正原因</Text>
          <Input className='form-input mne-reason' value={reason} maxlength={MINUTES_LIMITS.reason} placeholder='例如：补记决议' onInput={(e) => setReason(e.detail.value)} />
        </View>
      ) : null}
      {act.message ? <Text className='form-error mne-error'>{act.message}</Text> : null}
      {saved ? <Text className='form-hint mne-saved'>{saved}</Text> : null}
      <Button className='form-submit mne-save' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={onSave}>
        {locked ? '保存更正' : '保存'}
      </Button>
      {!locked ? (
        <Button className='form-button-plain mne-lock' disabled={act.busy || undefined} onClick={() => void onLock()}>
          确认无误，锁定记录
        </Button>
      ) : null}
    </View>
  )
}

/** 填写会议记录: 主持人, 记录人, what was studied, said and decided; the attendance comes from the check-ins. */
function MinutesEditPage() {
  const sessionId = useSessionParam()
  const req = useRequest(sessionId ? `minutes-edit:${sessionId}` : null, () => getMinutes(sessionId))
  return (
    <View className='page mne-page'>
      {req.data ? (
        <>
          <Text className='page-title'>{req.data.session.title}</Text>
          {req.data.mayEdit ? (
            <>
              <Editor view={req.data} sessionId={sessionId} />
              <MinutesPhotosEdit view={req.data} sessionId={sessionId} />
            </>
          ) : (
            <Text className='page-lead'>只有本支部书记、支委可以填写会议记录。</Text>
          )}
        </>
      ) : (
        <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />
      )}
    </View>
  )
}

export default withPageBoundary(MinutesEditPage)
