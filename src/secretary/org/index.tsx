import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { closeOrg, createOrg, moveOrg, renameOrg, tree, type OrgNode } from '../../api/org'
import StatusBlock from '../../components/StatusBlock'
import { confirmDanger } from '../lib/confirm'
import { ORG_TYPE_LABELS, ALLOWED_PARENT, type OrgType } from '../../core/vocab/org'
import { useAction } from '../../hooks/useAction'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { Chips, Field } from '../schedule/fields'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

type Mode = { kind: 'add' | 'rename' | 'move'; node: OrgNode } | null
type ChildType = Exclude<OrgType, 'committee'>

function flatten(nodes: OrgNode[], depth = 0): { node: OrgNode; depth: number }[] {
  return nodes.flatMap((n) => [{ node: n, depth }, ...flatten(n.children, depth + 1)])
}

const childTypes = (t: OrgType): ChildType[] => (['general_branch', 'branch', 'group'] as const).filter((c) => ALLOWED_PARENT[c].includes(t))
let seq = 0
const newClientId = () => `c${Date.now().toString(36)}${(seq++).toString(36)}`

/** The form under the node being worked on: add a child, rename, or move. */
function NodeForm({ mode, rows, onDone, onCancel }: { mode: NonNullable<Mode>; rows: { node: OrgNode }[]; onDone: () => void; onCancel: () => void }) {
  const { node } = mode
  const types = childTypes(node.type)
  const [type, setType] = useState<ChildType>(types[0] ?? 'branch')
  const [name, setName] = useState(mode.kind === 'rename' ? node.name : '')
  const [parent, setParent] = useState('')
  const [clientId] = useState(newClientId)
  const act = useAction()
  const parents = rows.map((r) => r.node).filter((p) => p._id !== node._id && p._id !== node.parentId && ALLOWED_PARENT[node.type].includes(p.type))
  const submit = () => {
    if (mode.kind !== 'move' && !name.trim()) return act.setMessage('请填写组织名称')
    void act.run(async () => {
      if (mode.kind === 'add') await createOrg(node._id, type, name, clientId)
      else if (mode.kind === 'rename') await renameOrg(node._id, name)
      else await moveOrg(node._id, parent)
      onDone()
    }, '没有办成，请稍后再试')
  }
  return (
    <View className='og-form' data-kind={mode.kind}>
      {mode.kind === 'add' ? (
        <Field label={`在「${node.name}」下新建`}>
          <Chips<ChildType> className='og-type' options={types.map((t) => ({ value: t, label: ORG_TYPE_LABELS[t] }))} value={type} onChange={setType} />
        </Field>
      ) : null}
      {mode.kind !== 'move' ? (
        <Field label='名称'>
          <Input className='form-input og-name' value={name} maxlength={60} placeholder='例如：第四党支部' onInput={(e) => setName(e.detail.value)} />
        </Field>
      ) : (
        <Field label={`把「${node.name}」移到`} hint='下面的党小组和党员一起移过去，过去的记录不变。'>
          <Chips className='og-parent' options={parents.map((p) => ({ value: p._id, label: p.name }))} value={parent} onChange={setParent} />
        </Field>
      )}
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      <View className='og-form-actions'>
        <Button className='og-submit' loading={act.busy || undefined} disabled={(mode.kind === 'move' && !parent) || act.busy || undefined} onClick={submit}>确定</Button>
        <Button className='og-cancel' onClick={onCancel}>取消</Button>
      </View>
    </View>
  )
}

/** 组织管理 (admins): the tree, with new, rename, move and close; closing keeps every record. */
function OrgPage() {
  const lt = useLargeText()
  const [round, refresh] = useRefreshRound()
  const req = useRequest(`org-tree:${round}`, () => tree())
  const [mode, setMode] = useState<Mode>(null)
  const act = useAction()
  const rows = flatten(req.data ?? [])
  const done = () => {
    setMode(null)
    refresh()
  }
  const close = (node: OrgNode) =>
    confirmDanger({
      title: `撤销这个${ORG_TYPE_LABELS[node.type]}？`,
      content: `撤销「${node.name}」后，不再接收新党员、不再安排活动；过去的记录都会保留。`,
      confirmText: '撤销',
      cancelText: '不撤销'
    }).then((ok) => {
      if (ok) void act.run(() => closeOrg(node._id).then(done), '没有撤销成功，请稍后再试')
    })
  return (
    <View className={`page og-page ${lt.className}`}>
      <Text className='page-title'>组织管理</Text>
      <Text className='page-lead'>党委 → 党总支 → 党支部 → 党小组。党员的增减在各支部的“党员名册”里办理。</Text>
      <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      {rows.map(({ node, depth }) => (
        <View key={node._id} className={`og-node og-node--${node.type}`} data-org-id={node._id} style={{ marginLeft: `${Math.min(depth, 4) * 12}px` }}>
          <View className='og-node-head'>
            <Text className='og-node-name'>{node.name}</Text>
            <Text className='og-node-meta'>{ORG_TYPE_LABELS[node.type]} · {node.memberCount} 人</Text>
          </View>
          <View className='og-node-actions'>
            {childTypes(node.type).length > 0 ? <Text className='og-act og-add' onClick={() => setMode({ kind: 'add', node })}>新建下级</Text> : null}
            <Text className='og-act og-rename' onClick={() => setMode({ kind: 'rename', node })}>改名</Text>
            {node.parentId ? <Text className='og-act og-move' onClick={() => setMode({ kind: 'move', node })}>移动</Text> : null}
            {node.type === 'branch' ? (
              <Text className='og-act og-members' onClick={() => Taro.navigateTo({ url: `/secretary/members/index?branchId=${encodeURIComponent(node._id)}` })}>党员名册</Text>
            ) : null}
            {node.parentId ? <Text className='og-act og-close' onClick={() => void close(node)}>撤销</Text> : null}
          </View>
          {mode && mode.node._id === node._id ? <NodeForm key={`${mode.kind}:${node._id}`} mode={mode} rows={rows} onDone={done} onCancel={() => setMode(null)} /> : null}
        </View>
      ))}
    </View>
  )
}

export default withPageBoundary(OrgPage)
