import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { members as fetchMembers } from '../../api/org'
import { branchRanking, memberRanking, parentOrgId, type RankBy } from '../../api/stats'
import StatusBlock from '../../components/StatusBlock'
import PeriodPicker from '../../components/PeriodPicker'
import RankByPicker from '../../components/RankByPicker'
import RankTable from '../../components/RankTable'
import { branchRankRows, branchValueLabel, memberRankRows } from '../../components/RankTable/rows'
import { RANK_BY_LABELS } from '../../core/vocab/stats'
import { periodKeysOf } from '../../core/period'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

/**
 * 排行 for officers: the branch's members (tap one for their points ledger)
 * and the branches of the organisation. What is shown follows the
 * organisation's visibility settings, as for everyone.
 */
function SecretaryRanking() {
  const lt = useLargeText()
  const { me, loading, error, reload } = useMe()
  const [period, setPeriod] = useState(() => periodKeysOf(Date.now()).quarter)
  const [by, setBy] = useState<RankBy>('points')
  const [round] = useRefreshRound()
  const branchId = me ? me.member.branchId : null
  const orgId = me ? parentOrgId(me) : null
  const mine = useRequest(branchId ? `smr:${branchId}:${period}:${by}:${round}` : null, () => memberRanking(branchId as string, period, by))
  const orgs = useRequest(orgId ? `sbr:${orgId}:${period}:${by}:${round}` : null, () => branchRanking(orgId as string, period, by))
  const m = mine.data
  const b = orgs.data
  // Ranking closed: the secretary still reaches each member's ledger, by name, unranked.
  const people = useRequest(branchId && m && !m.visible ? `people:${branchId}` : null, () => fetchMembers(branchId as string))

  useEffect(() => {
    if (m && !m.showPoints && by === 'points') setBy('attendance')
  }, [m, by])

  const openMember = (memberId: string) =>
    Taro.navigateTo({ url: `/secretary/member-points/index?id=${encodeURIComponent(memberId)}&period=${encodeURIComponent(period)}` })

  return (
    <View className={`page s-ranking-page ${lt.className}`}>
      <Text className='page-title'>排行</Text>
      <Text className='page-lead'>只比比例和人均，不比在手机上花的时间。点一位同志，可以查看他的积分明细、调整积分。</Text>
      <PeriodPicker value={period} onChange={setPeriod} />
      {m?.visible || b?.visible ? <RankByPicker value={by} onChange={setBy} showPoints={m ? m.showPoints : true} /> : null}
      {!me ? <StatusBlock loading={loading} error={error} onRetry={reload} /> : null}

      <View className='s-ranking-section s-ranking-members' data-visible={m ? String(m.visible) : ''}>
        <Text className='s-ranking-title'>本支部党员{m ? ` · ${m.branchName}` : ''}</Text>
        {!m ? <StatusBlock loading={mine.loading} error={mine.error} onRetry={mine.retry} /> : null}
        {m && !m.visible ? <Text className='s-ranking-hidden'>{m.hiddenReason || '本组织没有开放这个排行。'}</Text> : null}
        {m && !m.visible && people.data ? (
          <View className='s-ranking-people'>
            <Text className='s-ranking-note'>查看某位同志的积分明细：</Text>
            {people.data.map((p) => (
              <Text key={p._id} className='s-ranking-person' data-member-id={p._id} onClick={() => openMember(p._id)}>
                {p.name}
              </Text>
            ))}
          </View>
        ) : null}
        {m && m.visible && m.rows.length === 0 ? <Text className='s-ranking-note'>这段时间还没有可以比较的记录。</Text> : null}
        {m && m.visible && m.rows.length > 0 ? (
          <RankTable
            rows={memberRankRows(m.rows, by, m.showPoints, me ? me.member._id : null)}
            valueLabel={RANK_BY_LABELS[by]}
            nameLabel='姓名' mineLabel='我'
            onTap={openMember}
            className='rank-members'
          />
        ) : null}
        {m && m.exemptCount > 0 ? <Text className='s-ranking-note'>另有 {m.exemptCount} 位免考核党员未列入排行。</Text> : null}
      </View>

      <View className='s-ranking-section s-ranking-branches' data-visible={b ? String(b.visible) : ''}>
        <Text className='s-ranking-title'>各支部{b ? ` · ${b.orgName}` : ''}</Text>
        {!b ? <StatusBlock loading={orgs.loading} error={orgs.error} onRetry={orgs.retry} /> : null}
        {b && !b.visible ? <Text className='s-ranking-hidden'>{b.hiddenReason || '本组织没有开放这个排行。'}</Text> : null}
        {b && b.visible && b.rows.length === 0 ? <Text className='s-ranking-note'>这段时间还没有可以比较的记录。</Text> : null}
        {b && b.visible && b.rows.length > 0 ? (
          <>
            <Text className='s-ranking-note'>按人均和比例比较，人多人少一样公平。</Text>
            <RankTable rows={branchRankRows(b.rows, by, b.myBranchId)} valueLabel={branchValueLabel(by)} nameLabel='支部' mineLabel='本支部' className='rank-branches' />
          </>
        ) : null}
      </View>
    </View>
  )
}

export default withPageBoundary(SecretaryRanking)
