import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { branchRanking, memberRanking, parentOrgId, type RankBy } from '../../api/stats'
import StatusBlock from '../../components/StatusBlock'
import PeriodPicker from '../../components/PeriodPicker'
import RankByPicker from '../../components/RankByPicker'
import RankTable from '../../components/RankTable'
import { branchRankRows, branchValueLabel, memberRankRows } from '../../components/RankTable/rows'
import { RANK_BY_LABELS } from '../../core/vocab/stats'
import { periodKeysOf } from '../../core/period'
import { useLargeText } from '../../hooks/useLargeText'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import MyFigures from './MyFigures'
import { withPageBoundary } from '../../components/PageBoundary'
import './index.scss'

/** Shown in place of a ranking the organisation keeps closed: calm, and no empty table. */
function Hidden({ reason }: { reason?: string }) {
  return <Text className='rank-hidden'>{reason || '本组织没有开放这个排行，您可以随时查看自己的记录。'}</Text>
}

/**
 * 排行: my own figures first (always, whatever the settings; the period
 * choice sits under them, inside their card), then the branch's and the
 * organisation's rankings where the organisation has opened them, or one
 * plain line saying why there are none. Rates and
 * per-member figures only, so a small branch is compared fairly.
 */
function Ranking() {
  const { me, loading, error, reload } = useMe()
  const lt = useLargeText(me)
  // Points are announced quarterly (季通报), so the quarter is where one starts.
  const [period, setPeriod] = useState(() => periodKeysOf(Date.now()).quarter)
  const [by, setBy] = useState<RankBy>('points')
  const [round] = useRefreshRound()
  const branchId = me && me.member.joinStatus !== 'pending' ? me.member.branchId : null
  const orgId = me && branchId ? parentOrgId(me) : null
  const mine = useRequest(branchId ? `mr:${branchId}:${period}:${by}:${round}` : null, () => memberRanking(branchId as string, period, by))
  const orgs = useRequest(orgId ? `br:${orgId}:${period}:${by}:${round}` : null, () => branchRanking(orgId as string, period, by))
  const m = mine.data
  const b = orgs.data
  const showPoints = m ? m.showPoints : true
  // Nothing to order when both rankings are closed to this member: no 按积分 / 按参会率 choice.
  const anyVisible = !!(m?.visible || b?.visible)

  useEffect(() => {
    // The organisation keeps points from members: rank by a rate instead.
    if (m && !m.showPoints && by === 'points') setBy('attendance')
  }, [m, by])

  if (!me || !branchId) {
    return (
      <View className={`page ranking-page ${lt.className}`}>
        <Text className='page-title'>排行</Text>
        {me && !branchId ? (
          <Text className='page-lead'>书记确认您加入支部后，这里会显示您的参会、笔记和积分情况。</Text>
        ) : (
          <StatusBlock loading={loading} error={error} onRetry={reload} />
        )}
      </View>
    )
  }

  const picker = <PeriodPicker value={period} onChange={setPeriod} />
  // Both closed to me: one plain explanation under my figures instead of two empty sections.
  const bothClosed = !!(m && b && !m.visible && !b.visible)
  const reasons = bothClosed ? Array.from(new Set([m?.hiddenReason ?? '', b?.hiddenReason ?? ''].filter(Boolean))) : []

  return (
    <View className={`page ranking-page ${lt.className}`}>
      {m ? (
        <MyFigures data={m} picker={picker} />
      ) : (
        <>
          <StatusBlock loading={mine.loading} error={mine.error} onRetry={mine.retry} />
          {picker}
        </>
      )}

      {bothClosed ? (
        <View className='rank-closed'>
          <Text className='rank-closed-title'>为什么看不到排行</Text>
          {reasons.length ? reasons.map((r) => <Hidden key={r} reason={r} />) : <Hidden />}
        </View>
      ) : null}

      {anyVisible ? (
        <>
          <RankByPicker value={by} onChange={setBy} showPoints={showPoints} />
          <Text className='ranking-lead'>排行只比参会率、笔记完成率和积分，不比在手机上花的时间。名次相同表示成绩相同。</Text>
        </>
      ) : null}

      {bothClosed ? null : (
        <View className='ranking-section ranking-members' data-visible={m ? String(m.visible) : ''}>
          <Text className='ranking-title'>支部内排行{m ? ` · ${m.branchName}` : ''}</Text>
          {m && !m.visible ? <Hidden reason={m.hiddenReason} /> : null}
          {m && m.visible && m.rows.length === 0 ? <Text className='rank-empty'>这段时间还没有可以比较的记录。</Text> : null}
          {m && m.visible && m.rows.length > 0 ? (
            <RankTable rows={memberRankRows(m.rows, by, m.showPoints, me.member._id)} valueLabel={RANK_BY_LABELS[by]} nameLabel='姓名' mineLabel='我' className='rank-members' />
          ) : null}
          {m && m.visible && m.exemptCount > 0 ? <Text className='rank-exempt'>另有 {m.exemptCount} 位免考核党员未列入排行。</Text> : null}
        </View>
      )}

      {bothClosed ? null : (
        <View className='ranking-section ranking-branches' data-visible={b ? String(b.visible) : ''}>
          <Text className='ranking-title'>支部排行{b ? ` · ${b.orgName}` : ''}</Text>
          {!b ? <StatusBlock loading={orgs.loading} error={orgs.error} onRetry={orgs.retry} /> : null}
          {b && !b.visible ? <Hidden reason={b.hiddenReason} /> : null}
          {b && b.visible && b.rows.length === 0 ? <Text className='rank-empty'>这段时间还没有可以比较的记录。</Text> : null}
          {b && b.visible && b.rows.length > 0 ? (
            <>
              <Text className='rank-note'>各支部按人均和比例比较，人多人少一样公平。</Text>
              <RankTable rows={branchRankRows(b.rows, by, b.myBranchId)} valueLabel={branchValueLabel(by)} nameLabel='支部' mineLabel='本支部' className='rank-branches' />
            </>
          ) : null}
        </View>
      )}
    </View>
  )
}

export default withPageBoundary(Ranking)
