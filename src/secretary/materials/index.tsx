import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import { confirmDanger } from '../lib/confirm'
import { addMaterial, continueMaterial, listMaterials, removeMaterial, type MaterialSummary } from '../../api/materials'
import StatusBlock from '../../components/StatusBlock'
import { momentText } from '../../components/format'
import { MATERIAL_MAX_CHARS, MATERIAL_ORIGIN_MAX, MATERIAL_STATUS_LABELS, MATERIAL_TITLE_MAX } from '../../core/vocab/material'
import { countNoteWords } from '../../core/words'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { Chips, Field } from '../schedule/fields'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

let seq = 0
const newClientId = () => `m${Date.now().toString(36)}${(seq++).toString(36)}`

/** Calls for indexing or removal one page visit makes at most; the timer finishes whatever is left. */
const MAX_STEPS = 200

function AddForm({ orgId, onAdded, onCancel }: { orgId: string; onAdded: (m: MaterialSummary | null) => void; onCancel: () => void }) {
  const [title, setTitle] = useState('')
  const [origin, setOrigin] = useState('')
  const [content, setContent] = useState('')
  // One id per form: a resend after a lost reply is the same material, never a second.
  const [clientId] = useState(newClientId)
  const act = useAction()
  const submit = () => {
    if (!title.trim()) return act.setMessage('请填写材料标题，例如讲话或文件的名称')
    if (!content.trim()) return act.setMessage('请把材料的正文粘贴进来')
    void act.run(async () => onAdded(await addMaterial({ orgId, title, origin, content, clientId })), '没有添加成功，请稍后再试')
  }
  return (
    <View className='mt-form'>
      <Field label='标题'>
        <Input className='form-input mt-title' value={title} maxlength={MATERIAL_TITLE_MAX} placeholder='例如：在支部学习交流会上的讲话' onInput={(e) => setTitle(e.detail.value)} />
      </Field>
      <Field label='出处（可不填）' hint='谁在什么场合讲的，或文件的名称和文号。'>
        <Input className='form-input mt-origin' value={origin} maxlength={MATERIAL_ORIGIN_MAX} placeholder='例如：机关党委书记，11月学习交流会' onInput={(e) => setOrigin(e.detail.value)} />
      </Field>
      <Field label='正文' hint={`把全文粘贴进来（最多 ${MATERIAL_MAX_CHARS.toLocaleString()} 个字符；更长的请分成几份）。`}>
        <Textarea className='form-textarea mt-content' value={content} maxlength={MATERIAL_MAX_CHARS} placeholder='在这里粘贴讲话或文件的全文' autoHeight onInput={(e) => setContent(e.detail.value)} />
        <Text className='form-hint mt-count' data-words={countNoteWords(content)}>
          共 {countNoteWords(content).toLocaleString()} 字
        </Text>
      </Field>
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      <View className='mt-form-actions'>
        <Button className='mt-submit' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={submit}>
          添加
        </Button>
        <Button className='mt-cancel' onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  )
}

function Item({ m, busy, onRemove }: { m: MaterialSummary; busy: boolean; onRemove: (m: MaterialSummary) => void }) {
  const pending = m.status !== 'ready'
  return (
    <View className={`mt-item mt-item--${m.status}`} data-material-id={m._id} data-status={m.status}>
      <Text className='mt-item-title'>《{m.title}》</Text>
      {m.origin ? <Text className='mt-item-line'>出处：{m.origin}</Text> : null}
      <Text className='mt-item-line'>
        {m.words.toLocaleString()} 字 · {m.createdByName} {momentText(m.createdAt)} 添加
      </Text>
      <View className='mt-item-foot'>
        <Text className={`mt-status mt-status-${m.status}`}>
          {MATERIAL_STATUS_LABELS[m.status]}
          {pending ? ` ${Math.floor(m.progress * 100)}%` : ''}
        </Text>
        {m.canRemove ? (
          <Button className='mt-remove' disabled={busy || undefined} onClick={() => onRemove(m)}>
            移除
          </Button>
        ) : (
          <Text className='mt-inherited'>{m.orgName}添加</Text>
        )}
      </View>
    </View>
  )
}

/**
 * 学习材料: the speeches and documents the branch (or, for an admin, the whole
 * 党委) studies. A passage of one in a member's note counts as 摘录: credited,
 * shown apart from their own writing, and never taken for copying a colleague
 * who quoted the same paragraph.
 */
function MaterialsPage() {
  const lt = useLargeText()
  const { me, loading, error, reload } = useMe()
  const adminOrg = me?.member.roles.find((r) => r.role === 'admin')?.orgId ?? null
  const [scope, setScope] = useState<string | null>(null)
  const orgId = scope ?? adminOrg ?? me?.member.branchId ?? null
  const [round, refresh] = useRefreshRound()
  const req = useRequest(orgId ? `materials:${orgId}:${round}` : null, () => listMaterials(orgId as string))
  const [adding, setAdding] = useState(false)
  // Items being indexed or removed by this page, as the last step left them.
  const [live, setLive] = useState<Record<string, MaterialSummary | null>>({})
  const driving = useRef(new Set<string>())
  const act = useAction()

  // Steps a material on until it is ready (or gone), showing the progress; stops when the page closes.
  const mounted = useRef(true)
  useEffect(() => () => void (mounted.current = false), [])
  const drive = useCallback(
    async (first: MaterialSummary | null) => {
      if (!first || first.status === 'ready' || driving.current.has(first._id)) return
      const id = first._id
      driving.current.add(id)
      let m: MaterialSummary | null = first
      try {
        for (let i = 0; m && m.status !== 'ready' && i < MAX_STEPS && mounted.current; i++) {
          m = await continueMaterial(id)
          const now = m
          if (mounted.current) setLive((l) => ({ ...l, [id]: now }))
        }
      } catch {
        // The timer goes on from where this stopped; the list shows how far it got.
      } finally {
        driving.current.delete(id)
        if (mounted.current) refresh()
      }
    },
    [refresh]
  )

  // A material left half indexed by an earlier visit goes on while the page is open.
  useEffect(() => {
    for (const m of req.data?.items ?? []) if (m.status !== 'ready' && m.canRemove) void drive(m)
  }, [req.data, drive])

  if (!me) {
    return (
      <View className={`page mt-page ${lt.className}`}>
        <StatusBlock loading={loading} error={error} onRetry={reload} />
      </View>
    )
  }

  const items = (req.data?.items ?? [])
    .map((m) => (Object.prototype.hasOwnProperty.call(live, m._id) ? live[m._id] : m))
    .filter((m): m is MaterialSummary => m !== null)
  const own = items.filter((m) => m.orgId === req.data?.orgId)
  const inherited = items.filter((m) => m.orgId !== req.data?.orgId)

  const onAdded = (m: MaterialSummary | null) => {
    setAdding(false)
    if (m) setLive((l) => ({ ...l, [m._id]: m }))
    refresh()
    void drive(m)
  }
  const onRemove = (m: MaterialSummary) => {
    void confirmDanger({
      title: '移除这份学习材料？',
      content: `移除《${m.title}》后，以后保存的笔记里再摘录这份材料，就不再算作摘录；已经保存的笔记不变。`,
      confirmText: '移除',
      cancelText: '不移除'
    }).then((ok) => {
      if (!ok) return
      void act.run(async () => {
        const now = await removeMaterial(m._id)
        setLive((l) => ({ ...l, [m._id]: now }))
        await drive(now)
      }, '没有移除成功，请稍后再试')
    })
  }

  const scopes = [
    ...(adminOrg ? [{ value: adminOrg, label: '全党委（各支部都适用）' }] : []),
    { value: me.member.branchId, label: me.branch.name }
  ]

  return (
    <View className={`page mt-page ${lt.className}`}>
      <Text className='page-title'>学习材料</Text>
      <Text className='page-lead'>
        把组织学习的讲话、文件全文添加进来。党员笔记里摘录这些材料的段落，算作“摘录”，照常计入字数，不会因为别的同志也摘录了同一段而被当成重复。
      </Text>
      {scopes.length > 1 ? (
        <Field label='给谁用'>
          <Chips className='mt-scope' options={scopes} value={orgId ?? ''} onChange={(v) => setScope(v)} />
        </Field>
      ) : null}

      {req.data?.canAdd && !adding ? (
        <Button className='mt-add' onClick={() => setAdding(true)}>
          添加学习材料
        </Button>
      ) : null}
      {adding && orgId ? <AddForm orgId={orgId} onAdded={onAdded} onCancel={() => setAdding(false)} /> : null}
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}

      {!req.data ? <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} /> : null}
      {req.data ? (
        <View className='mt-list'>
          <Text className='mt-h2'>{req.data.orgName}的学习材料</Text>
          {own.length === 0 ? <Text className='mt-empty'>还没有添加学习材料。</Text> : null}
          {own.map((m) => (
            <Item key={m._id} m={m} busy={act.busy} onRemove={onRemove} />
          ))}
          {inherited.length > 0 ? <Text className='mt-h2'>上级党组织的学习材料（同样适用）</Text> : null}
          {inherited.map((m) => (
            <Item key={m._id} m={m} busy={act.busy} onRemove={onRemove} />
          ))}
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(MaterialsPage)
