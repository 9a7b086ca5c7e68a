import { useEffect, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { confirmDanger } from '../lib/confirm'
import { memberRecord, setRole, transferMember, tree, updateMember, type ExemptReason, type MemberChange, type MemberRecord, type OrgNode } from '../../api/org'
import StatusBlock from '../../components/StatusBlock'
import { mayActOn } from '../../core/org/authority'
import { EXEMPT_REASON_LABELS, EXEMPT_REASONS, RANK_LABELS, RANKS, type Rank } from '../../core/vocab/member'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { Chips, Field, SwitchRow } from '../schedule/fields'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

interface Draft {
  rank: Rank
  retired: boolean
  leadingCadre: boolean
  largeText: boolean
  exempt: boolean
  reason: ExemptReason
  note: string
  groupId: string
}

function draftOf(m: MemberRecord): Draft {
  return {
    rank: m.rank,
    retired: m.retired,
    leadingCadre: m.leadingCadre,
    largeText: m.largeText,
    exempt: m.exempt !== null,
    reason: m.exempt?.reason ?? 'age',
    note: m.exempt?.note ?? '',
    groupId: m.groupId ?? ''
  }
}

/** What the draft changes, so only real edits are sent (and audited). */
function changeOf(m: MemberRecord, d: Draft): MemberChange {
  const c: MemberChange = {}
  if (d.rank !== m.rank) c.rank = d.rank
  if (d.retired !== m.retired) c.retired = d.retired
  if (d.leadingCadre !== m.leadingCadre) c.leadingCadre = d.leadingCadre
  if (d.largeText !== m.largeText) c.largeText = d.largeText
  if ((d.groupId || null) !== m.groupId) c.groupId = d.groupId || null
  const note = d.note.trim()
  if (!d.exempt && m.exempt) c.exempt = null
  if (d.exempt && (!m.exempt || m.exempt.reason !== d.reason || (m.exempt.note ?? '') !== note)) c.exempt = { reason: d.reason, ...(note ? { note } : {}) }
  return c
}

function flatten(nodes: OrgNode[]): OrgNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)])
}

/** Admins only: 支部书记 and 支委委员 of the member's own branch. */
function RolesCard({ member, onDone }: { member: MemberRecord; onDone: () => void }) {
  const act = useAction()
  const holds = (role: 'secretary' | 'committee') => member.roles.some((r) => r.role === role && r.orgId === member.branchId)
  const flip = (role: 'secretary' | 'committee', on: boolean) => void act.run(() => setRole(member._id, role, member.branchId, on).then(onDone), '没有办成，请稍后再试')
  return (
    <View className='mr-card mr-roles'>
      <Text className='mr-card-title'>支部职务</Text>
      <SwitchRow className='mr-role-secretary' label='支部书记' hint='可以排期、出示签到码、审批请假、审阅笔记、发提醒、导出台账。' checked={holds('secretary')} onChange={(on) => flip('secretary', on)} />
      <SwitchRow className='mr-role-committee' label='支委委员' hint='和书记一样可以办理本支部的事务。' checked={holds('committee')} onChange={(on) => flip('committee', on)} />
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
    </View>
  )
}

/** Admins only: 组织关系转接 to another branch they administer. */
function TransferCard({ member, branches, onDone }: { member: MemberRecord; branches: OrgNode[]; onDone: () => void }) {
  const [to, setTo] = useState('')
  const act = useAction()
  const others = branches.filter((b) => b._id !== member.branchId)
  if (others.length === 0) return null
  const go = () =>
    confirmDanger({
      title: '转接这位同志的组织关系？',
      content: '转出后，过去的签到、笔记和积分仍记在原支部；以后的活动由新支部安排。',
      confirmText: '转接',
      cancelText: '不转接'
    }).then((ok) => {
      if (ok) void act.run(() => transferMember(member._id, to).then(onDone), '没有转接成功，请稍后再试')
    })
  return (
    <View className='mr-card mr-transfer'>
      <Text className='mr-card-title'>组织关系转接</Text>
      <Chips className='mr-transfer-to' options={others.map((b) => ({ value: b._id, label: b.name }))} value={to} onChange={setTo} />
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      <Button className='mr-transfer-go' disabled={!to || act.busy || undefined} loading={act.busy || undefined} onClick={go}>转到所选支部</Button>
    </View>
  )
}

/** 党员信息: the record the branch keeps, edited by its officers; every save is audited. */
function MemberPage() {
  const lt = useLargeText()
  const { params } = useRouter()
  const id = params.id ? decodeURIComponent(params.id) : ''
  const { me } = useMe()
  const [round, setRound] = useState(0)
  const req = useRequest(id ? `member:${id}:${round}` : null, () => memberRecord(id))
  const isAdmin = !!me?.isAdmin
  const orgs = useRequest('orgs', () => tree())
  const all = flatten(orgs.data ?? [])
  const m = req.data
  const [draft, setDraft] = useState<Draft | null>(null)
  const [saved, setSaved] = useState(false)
  const act = useAction()
  useEffect(() => setDraft(m ? draftOf(m) : null), [m])

  if (!m || !draft) return <View className={`page mr-page ${lt.className}`}><StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} /></View>
  const groups = all.filter((o) => o.type === 'group' && o.parentId === m.branchId)
  // Only someone ranked above may change a record, never one's own (core/org/authority.ts; the server decides).
  const self = me?.member._id === m._id
  const locked = !me || !mayActOn(me.member, m, { _id: m.branchId, path: m.orgPath })
  const lockNote = self ? '自己的信息（含“不计入定额和预警”）由其他支委或上级修改。' : '这位同志的职务与您相同或更高，其信息由上级党组织修改。'
  const set = (patch: Partial<Draft>) => {
    setSaved(false)
    setDraft({ ...draft, ...patch })
  }
  const save = () => {
    const change = changeOf(m, draft)
    if (Object.keys(change).length === 0) return act.setMessage('没有修改需要保存')
    void act.run(async () => {
      await updateMember(m._id, change)
      setSaved(true)
      setRound(round + 1)
    }, '没有保存成功，请稍后再试')
  }

  return (
    <View className={`page mr-page ${lt.className}`} data-member-id={m._id}>
      <Text className='page-title'>{m.name}</Text>
      <Text className='page-lead'>{m.branchName}{m.phone ? ` · ${m.phone}` : ''}{m.employeeNo ? ` · 工号 ${m.employeeNo}` : ''}</Text>
      <View className='mr-card'>
        <Field label='职级（决定笔记字数定额）'>
          <Chips<Rank> className='mr-rank' options={RANKS.map((r) => ({ value: r, label: RANK_LABELS[r] }))} value={draft.rank} onChange={(rank) => set({ rank })} />
        </Field>
        {groups.length > 0 ? (
          <Field label='党小组'>
            <Chips className='mr-group' options={[{ value: '', label: '不分组' }, ...groups.map((g) => ({ value: g._id, label: g.name }))]} value={draft.groupId} onChange={(groupId) => set({ groupId })} />
          </Field>
        ) : null}
        <SwitchRow className='mr-retired' label='离退休党员' hint='离退休党员的活动和学习按支部安排。' checked={draft.retired} onChange={(retired) => set({ retired })} />
        <SwitchRow className='mr-cadre' label='领导干部' hint='每月至少参加一次本支部活动（双重组织生活），未参加的会提示书记。' checked={draft.leadingCadre} onChange={(leadingCadre) => set({ leadingCadre })} />
        <SwitchRow className='mr-large' label='长辈模式' hint='字更大、按钮更大、首页只留签到和笔记。' checked={draft.largeText} onChange={(largeText) => set({ largeText })} />
        <SwitchRow className='mr-exempt' label='不计入定额和预警' hint='年龄较大、长期病休或行动不便的同志，可以不计笔记定额、排名和预警，书记可代为登记活动。' checked={draft.exempt} onChange={(exempt) => set({ exempt })} />
        {draft.exempt ? (
          <>
            <Field label='原因'>
              <Chips<ExemptReason> className='mr-exempt-reason' options={EXEMPT_REASONS.map((r) => ({ value: r, label: EXEMPT_REASON_LABELS[r] }))} value={draft.reason} onChange={(reason) => set({ reason })} />
            </Field>
            <Field label='说明（选填）'>
              <Input className='form-input mr-exempt-note' value={draft.note} maxlength={200} placeholder='例如：年满八十周岁' onInput={(e) => set({ note: e.detail.value })} />
            </Field>
          </>
        ) : null}
        {act.message ? <Text className='form-error'>{act.message}</Text> : null}
        {saved && !act.message ? <Text className='mr-saved'>已保存</Text> : null}
        {locked ? <Text className='mr-locked'>{lockNote}</Text> : null}
        <Button className='mr-save' loading={act.busy || undefined} disabled={act.busy || locked || undefined} onClick={save}>保存</Button>
      </View>
      <Button className='mr-archive' onClick={() => Taro.navigateTo({ url: `/pages/archive/index?memberId=${encodeURIComponent(m._id)}` })}>查看个人档案</Button>
      {isAdmin && !locked ? <RolesCard member={m} onDone={() => setRound(round + 1)} /> : null}
      {isAdmin && !locked ? <TransferCard member={m} branches={all.filter((o) => o.type === 'branch')} onDone={() => setRound(round + 1)} /> : null}
    </View>
  )
}

export default withPageBoundary(MemberPage)
