import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { Me } from '../../api/auth'
import { progress } from '../../api/notes'
import { memberRanking } from '../../api/stats'
import { branchTodo, type OrgTodo } from '../../api/todo'
// Before StatusBlock and PageBoundary: SessionCard's CSS keeps the order the 签到 tab gives the shared chunk.
import NextCard from './NextCard'
import RoleBadges from '../../components/RoleBadges'
import StatusBlock from '../../components/StatusBlock'
import { workbenchTitle } from '../../components/workbenchTitle'
import { periodKeysOf } from '../../core/period'
import { useLargeText } from '../../hooks/useLargeText'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { withPageBoundary } from '../../components/PageBoundary'
import HomeNotices, { greeting } from './HomeNotices'
import JoinBranch from './JoinBranch'
import MyYear from './MyYear'
import SimpleHome from './SimpleHome'
import { nextSessionAndRecord } from './nextSession'
import './index.scss'

function waiting(t: OrgTodo): number {
  return t.leaves + t.notes + t.makeups + t.joins + t.scans
}

/** The workbench entry, with what waits there when the count is at hand (a failed count just leaves the hint). */
function WorkbenchEntry({ me, todo }: { me: Me; todo: OrgTodo | undefined }) {
  const n = todo ? waiting(todo) : 0
  return (
    <View className='home-card secretary-entry' hoverClass='home-card--pressed' onClick={() => Taro.navigateTo({ url: '/secretary/index/index' })}>
      <Text className='home-card-title'>{workbenchTitle(me.isAdmin)}</Text>
      {todo ? (
        <Text className='home-card-hint home-todo' data-waiting={n}>
          {n > 0 ? (
            <>
              待处理 <Text className='num'>{n} 项</Text>
            </>
          ) : (
            '没有待处理的事'
          )}
          {todo.sessionsThisWeek > 0 ? (
            <>
              ，本周活动 <Text className='num'>{todo.sessionsThisWeek} 场</Text>
            </>
          ) : null}
        </Text>
      ) : (
        <Text className='home-card-hint'>排期、签到码、审阅笔记、提醒</Text>
      )}
    </View>
  )
}

/**
 * The normal home: the next session I am expected at and where I stand for
 * it, then my year in one glance; the tab bar already names the four areas.
 */
function NormalHome({ me, error }: { me: Me; error: { message: string } | null }) {
  const pending = me.member.joinStatus === 'pending'
  const [round] = useRefreshRound()
  const year = Number(periodKeysOf(Date.now()).year)
  const id = pending ? null : `${me.member._id}:${round}`
  const next = useRequest(id && `home:${id}`, () => nextSessionAndRecord(me))
  const notes = useRequest(id && `notes:${id}`, () => progress(year))
  const figures = useRequest(id && `figures:${id}`, () => memberRanking(me.member.branchId, String(year), 'points'))
  const todo = useRequest(id && me.isSecretary ? `todo:${id}` : null, () => branchTodo(me.member.branchId))
  const orgPath = me.orgPathNames.join(' / ')

  return (
    <View className='page home'>
      <View className='home-header'>
        <Text className='home-greeting'>
          {greeting()}，<Text className='home-name'>{me.member.name}</Text>
        </Text>
        <Text className='home-branch'>{me.branch.name}</Text>
        {orgPath ? <Text className='home-orgpath'>{orgPath}</Text> : null}
        <RoleBadges me={me} />
      </View>

      <HomeNotices pending={pending} error={error} />

      {me.isSecretary || me.isAdmin ? <WorkbenchEntry me={me} todo={todo.data} /> : null}

      {pending ? (
        <Text className='page-lead'>书记确认后，这里会显示您的下次活动和今年的学习情况。</Text>
      ) : next.data ? (
        <NextCard session={next.data.session} row={next.data.row} />
      ) : (
        <StatusBlock loading={next.loading} error={next.error} onRetry={next.retry} />
      )}

      {pending ? null : <MyYear year={year} record={next.data?.record} progress={notes.data} figures={figures.data} />}
    </View>
  )
}

function Home() {
  const { me, loading, error, reload } = useMe()
  const { large, className } = useLargeText(me)

  if (!me) {
    if (loading || error) {
      return (
        <View className={`page home ${className}`}>
          <StatusBlock loading={loading} error={error} onRetry={reload} />
        </View>
      )
    }
    return (
      <View className='page home'>
        <JoinBranch onJoined={reload} />
      </View>
    )
  }

  return large ? <SimpleHome me={me} error={error} /> : <NormalHome me={me} error={error} />
}

export default withPageBoundary(Home)
