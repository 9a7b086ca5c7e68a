import { useEffect } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { members } from '../../api/org'
import { branchTodo, type OrgTodo } from '../../api/todo'
import { listSessions } from '../../api/sessions'
import StatusBlock from '../../components/StatusBlock'
import { whenText, typeLabel } from '../../components/format'
import { isCheckinOpen } from '../../components/sessionState'
import { workbenchTitle } from '../../components/workbenchTitle'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import RoleLine from '../components/RoleLine'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const HOUR = 60 * 60 * 1000

const TOOLS = [
  { key: 'schedule', title: '安排活动', hint: '三会一课、主题党日、专题学习，可按月或按周重复', url: '/secretary/schedule/index' },
  { key: 'sessions', title: '活动列表', hint: '按月查看，打开签到大屏，修改或取消某一场', url: '/secretary/sessions/index' },
  { key: 'leaves', title: '请假审批', hint: '批准或不批准党员的请假', url: '/secretary/leaves/index' },
  { key: 'makeups', title: '补学审阅', hint: '谁交了补学心得，读一读，合格或退回', url: '/secretary/makeups/index' },
  { key: 'attendance', title: '考勤', hint: '三会一课完成情况、双重组织生活、个人记录', url: '/secretary/attendance/index' },
  { key: 'notes', title: '学习笔记', hint: '全年字数和心得进度、审阅笔记、年终检查', url: '/secretary/notes/index' },
  { key: 'materials', title: '学习材料', hint: '添加支部学习的讲话、文件，笔记里摘录的段落算作摘录，不当作重复', url: '/secretary/materials/index' },
  { key: 'remind', title: '发提醒', hint: '只提醒需要的人：还没签到的、补学未完成的、笔记进度偏慢的；可查看谁已读', url: '/secretary/remind/index' },
  { key: 'warnings', title: '双色预警', hint: '本季度需要关心的同志和原因，连续未参加组织生活的提醒', url: '/secretary/warnings/index' },
  { key: 'ranking', title: '排行与积分', hint: '本支部党员和各支部的排行，查看、调整个人积分', url: '/secretary/ranking/index' },
  { key: 'report', title: '季度通报', hint: '各支部季度比较、红旗党支部候选，可打印', url: '/secretary/report/index' },
  { key: 'review', title: '民主评议', hint: '开启年度民主评议党员，查看进度和汇总，记录支委会评定结果', url: '/review/manage/index' },
  { key: 'exports', title: '台账导出', hint: '签到台账、笔记台账、积分台账、预警名单，导出 Excel 供年终检查', url: '/secretary/exports/index' },
  { key: 'members', title: '党员名册', hint: '邀请码、确认新加入的同志、修改党员信息（职级、离退休、免考核、长辈模式）', url: '/secretary/members/index' }
] as const

function go(url: string) {
  Taro.navigateTo({ url })
}

/** The next session still to hold (or being held now), for the one-tap venue screen. */
function NextSession({ branchId, round }: { branchId: string; round: number }) {
  const req = useRequest(`next:${branchId}:${round}`, () => {
    const now = Date.now()
    return listSessions(branchId, now - 12 * HOUR, now + 8 * 24 * HOUR)
  })
  if (!req.data) return null
  const now = Date.now()
  const next = req.data.filter((s) => s.status !== 'cancelled' && s.endAt > now).sort((a, b) => a.startAt - b.startAt)[0]
  if (!next) return null
  const live = isCheckinOpen(next, now)
  return (
    <View className={`workbench-next${live ? ' workbench-next--live' : ''}`} data-session-id={next._id}>
      <Text className='workbench-next-label'>{live ? '正在签到' : '下一场活动'}</Text>
      <Text className='workbench-next-title'>
        {typeLabel(next.type)} · {next.title}
      </Text>
      <Text className='workbench-next-when'>
        {whenText(next.startAt, next.endAt)} · {next.venue.name}
      </Text>
      <Button className='workbench-open-qr' data-session-id={next._id} onClick={() => go(`/secretary/qr/index?id=${encodeURIComponent(next._id)}`)}>
        打开签到大屏
      </Button>
    </View>
  )
}

/** One row of the to-do: what waits, how many, and a tap to the list that holds them. */
interface TodoRow {
  key: string
  label: string
  count: number
  url: string
}

function todoRows(t: OrgTodo): TodoRow[] {
  const rows: TodoRow[] = [
    { key: 'leaves', label: '请假待审批', count: t.leaves, url: '/secretary/leaves/index' },
    { key: 'notes', label: '笔记待审阅', count: t.notes, url: '/secretary/notes/index?view=review' },
    { key: 'makeups', label: '补学待审阅', count: t.makeups, url: '/secretary/makeups/index' },
    { key: 'joins', label: '入支部待确认', count: t.joins, url: '/secretary/members/index' }
  ]
  // Late-synced scans are rare: the row shows only when one waits, and opens that session's 签到情况.
  if (t.scans > 0 && t.scanSessionId) {
    rows.push({ key: 'scans', label: '扫码待确认', count: t.scans, url: `/secretary/qr/index?sessionId=${encodeURIComponent(t.scanSessionId)}` })
  }
  rows.push({ key: 'week', label: '本周活动', count: t.sessionsThisWeek, url: '/secretary/sessions/index' })
  return rows
}

/** 待办: one call counts what waits; each count is what its list shows (org.todo). */
function Todo({ branchId, round }: { branchId: string; round: number }) {
  const req = useRequest(`todo:${branchId}:${round}`, () => branchTodo(branchId))
  if (!req.data) return <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />
  return (
    <View className='workbench-todo'>
      {todoRows(req.data).map((r) => (
        <View
          key={r.key}
          className={`workbench-todo-row workbench-todo-${r.key}${r.count > 0 && r.key !== 'week' ? ' workbench-todo-row--waiting' : ''}`}
          data-count={r.count}
          hoverClass='workbench-tool--pressed'
          onClick={() => go(r.url)}
        >
          <Text className='workbench-todo-label'>{r.label}</Text>
          <Text className='workbench-todo-count'>{r.count}</Text>
        </View>
      ))}
    </View>
  )
}

/** 书记工作台 (管理工作台 for admins): what waits, the next session's screen, the tools, and the branch's members. */
function SecretaryHome() {
  const lt = useLargeText()
  const { me, error: meError, reload } = useMe()
  const branchId = me ? me.member.branchId : null
  // Settings are the 党委's to change; secretaries never see the entry.
  const isAdmin = !!me && me.member.roles.some((r) => r.role === 'admin')
  const [round] = useRefreshRound()
  const list = useRequest(branchId, () => members(branchId as string))
  const title = workbenchTitle(isAdmin)

  useEffect(() => {
    if (me) Taro.setNavigationBarTitle({ title }).catch(() => undefined)
  }, [me, title])

  return (
    <View className={`page secretary ${lt.className}`}>
      <Text className='page-title'>{title}</Text>
      {branchId ? <Todo branchId={branchId} round={round} /> : null}
      {branchId ? <NextSession branchId={branchId} round={round} /> : null}

      <Text className='secretary-section'>工具</Text>

      <View className='workbench-tools'>
        {TOOLS.map((t) => (
          <View
            key={t.key}
            className={`workbench-tool workbench-tool-${t.key}`}
            hoverClass='workbench-tool--pressed'
            onClick={() => go(t.url)}
          >
            <Text className='workbench-tool-title'>{t.title}</Text>
            <Text className='workbench-tool-hint'>{t.hint}</Text>
          </View>
        ))}
      </View>

      {isAdmin ? (
        <>
          <View className='workbench-tool workbench-tool-settings' hoverClass='workbench-tool--pressed' onClick={() => go('/secretary/settings/index')}>
            <Text className='workbench-tool-title'>规则与定额</Text>
            <Text className='workbench-tool-hint'>党委管理员：笔记定额、积分规则、排名给谁看、签到定位、预警标准</Text>
          </View>
          <View className='workbench-tool workbench-tool-org' hoverClass='workbench-tool--pressed' onClick={() => go('/secretary/org/index')}>
            <Text className='workbench-tool-title'>组织管理</Text>
            <Text className='workbench-tool-hint'>党委管理员：新建、改名、移动、撤销党总支、党支部、党小组</Text>
          </View>
          <View className='workbench-tool workbench-tool-import' hoverClass='workbench-tool--pressed' onClick={() => go('/secretary/import/index')}>
            <Text className='workbench-tool-title'>名册导入</Text>
            <Text className='workbench-tool-hint'>党委管理员：从 Excel 或 CSV 导入党员名册，先检查再导入</Text>
          </View>
        </>
      ) : null}

      <Text className='secretary-section'>
        {me ? `${me.branch.name}的党员` : '本支部党员'}
        {list.data ? `（${list.data.length} 人）` : ''}
      </Text>
      {meError && !me ? <StatusBlock error={meError} onRetry={reload} /> : null}
      <StatusBlock loading={list.loading} error={list.error} onRetry={list.retry} />
      {list.data ? (
        <View className='member-list'>
          {list.data.map((m) => (
            <View key={m._id} className='member-row' data-member-id={m._id} onClick={() => go(`/secretary/member/index?id=${encodeURIComponent(m._id)}`)}>
              <Text className='member-row-name'>{m.name}</Text>
              <RoleLine member={m} />
            </View>
          ))}
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(SecretaryHome)
