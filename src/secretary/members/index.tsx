import { Button, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { confirmDanger } from '../lib/confirm'
import { confirmMember, inviteCode, members, pendingMembers } from '../../api/org'
import StatusBlock from '../../components/StatusBlock'
import { momentText } from '../../components/format'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import RoleLine from '../components/RoleLine'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

/** The invite code, large enough to read out at a meeting; renewing retires the old one at once. */
function InviteCard({ branchId, round }: { branchId: string; round: number }) {
  const req = useRequest(`invite:${branchId}:${round}`, () => inviteCode(branchId))
  const act = useAction()
  const renew = () =>
    confirmDanger({
      title: '换一个邀请码？',
      content: '换了以后，旧的邀请码立即失效。还没加入的同志要用新的邀请码。',
      confirmText: '换邀请码',
      cancelText: '不换了'
    }).then((ok) => {
      if (ok) void act.run(() => inviteCode(branchId, true).then(() => req.retry()), '没有换成功，请稍后再试')
    })
  return (
    <View className='mb-invite'>
      <Text className='mb-invite-label'>新党员加入本支部的邀请码</Text>
      <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />
      {req.data ? <Text className='mb-invite-code' selectable>{req.data.inviteCode}</Text> : null}
      <Text className='mb-invite-hint'>新同志打开小程序，输入这个邀请码和自己的姓名，您在下面确认后就加入了。</Text>
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      <Button className='mb-invite-renew' loading={act.busy || undefined} onClick={renew}>换一个邀请码</Button>
    </View>
  )
}

function PendingList({ branchId, round, onDone }: { branchId: string; round: number; onDone: () => void }) {
  const req = useRequest(`pending:${branchId}:${round}`, () => pendingMembers(branchId))
  const act = useAction()
  if (!req.data || req.data.length === 0) return null
  const decide = (id: string, accept: boolean) => act.run(() => confirmMember(id, accept).then(onDone), '没有办成，请稍后再试')
  return (
    <View className='mb-pending'>
      <Text className='secretary-section'>等待确认（{req.data.length} 人）</Text>
      <Text className='form-hint'>请确认是本支部的同志再点“确认加入”。不认识的，点“不是本支部”。</Text>
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      {req.data.map((m) => (
        <View key={m._id} className='mb-pending-row' data-member-id={m._id}>
          <View className='mb-pending-text'>
            <Text className='mb-pending-name'>{m.name}</Text>
            <Text className='mb-pending-when'>{momentText(m.joinedAt)} 申请{m.inRoster ? '，名册里有这位同志，确认后两者合一' : ''}</Text>
          </View>
          <Button className='mb-accept' disabled={act.busy || undefined} onClick={() => void decide(m._id, true)}>确认加入</Button>
          <Button className='mb-decline' disabled={act.busy || undefined} onClick={() => void decide(m._id, false)}>不是本支部</Button>
        </View>
      ))}
    </View>
  )
}

/** 党员名册: invite code, joins to confirm, and every member's record a tap away. */
function MembersPage() {
  const lt = useLargeText()
  const { params } = useRouter()
  const { me, loading, error, reload } = useMe()
  const branchId = params.branchId ? decodeURIComponent(params.branchId) : me?.member.branchId ?? null
  const [round, refresh] = useRefreshRound()
  const list = useRequest(branchId ? `members:${branchId}:${round}` : null, () => members(branchId as string))
  return (
    <View className={`page mb-page ${lt.className}`}>
      <Text className='page-title'>党员名册</Text>
      {!me ? <StatusBlock loading={loading} error={error} onRetry={reload} /> : null}
      {branchId ? <InviteCard branchId={branchId} round={round} /> : null}
      {branchId ? <PendingList branchId={branchId} round={round} onDone={refresh} /> : null}
      <Text className='secretary-section'>在册党员{list.data ? `（${list.data.length} 人）` : ''}</Text>
      <StatusBlock loading={list.loading && !list.data} error={list.error} onRetry={list.retry} />
      {(list.data ?? []).map((m) => (
        <View
          key={m._id}
          className='member-row mb-member'
          data-member-id={m._id}
          hoverClass='mb-member--pressed'
          onClick={() => Taro.navigateTo({ url: `/secretary/member/index?id=${encodeURIComponent(m._id)}` })}
        >
          <Text className='member-row-name'>{m.name}</Text>
          <RoleLine member={m} />
        </View>
      ))}
    </View>
  )
}

export default withPageBoundary(MembersPage)
