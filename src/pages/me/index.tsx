import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { logout } from '../../api/auth'
import RoleBadges from '../../components/RoleBadges'
import StatusBlock from '../../components/StatusBlock'
// After RoleBadges and StatusBlock: the shared CSS chunk keeps one order across pages.
import MyRecord from '../../components/MyRecord'
import ReminderBudget from '../../components/ReminderBudget'
import LargeTextSwitch from '../../components/LargeTextSwitch'
import { useCheckinSync } from '../../hooks/useCheckinSync'
import { LOGIN_URL, useMe } from '../../hooks/useMe'
import { useUnread } from '../../hooks/useUnread'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'
import { currentReview } from '../../api/review'
import { useRequest } from '../../hooks/useRequest'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

/** 民主评议 shows here only while it concerns the member: open, or with their result recorded. */
function ReviewEntry() {
  const req = useRequest('me:review', currentReview)
  const r = req.data
  if (!r?.me || (r.status !== 'open' && !r.me.outcome)) return null
  const hint = r.me.outcome ? '查看本人评议结果 ›' : r.me.voted ? '您已完成评定 ›' : '写自我评价、评议其他同志 ›'
  return (
    <View className='me-row me-review' hoverClass='me-row--pressed' onClick={() => Taro.navigateTo({ url: '/review/index/index' })}>
      <Text className='me-row-title'>{r.year} 年度民主评议</Text>
      <Text className='me-row-hint'>{hint}</Text>
    </View>
  )
}

function MePage() {
  const { me, loading, error, reload } = useMe()
  // Offline check-ins also go out from here, whichever tab the member opens first.
  useCheckinSync()
  const { unread } = useUnread()
  const lt = useLargeText(me)

  const onLogout = () => {
    logout()
    Taro.reLaunch({ url: LOGIN_URL })
  }

  return (
    <View className={`page me-page ${lt.className}`}>
      <Text className='page-title'>我的</Text>
      {me ? (
        <View className='me-card'>
          <Text className='me-name'>{me.member.name}</Text>
          <Text className='me-branch'>{me.branch.name}</Text>
          <RoleBadges me={me} />
        </View>
      ) : (
        <StatusBlock loading={loading} error={error} onRetry={reload} />
      )}
      {/* Near the top: an older member looking for bigger text should not have to scroll for it. */}
      {me ? <LargeTextSwitch /> : null}
      {me && me.member.joinStatus !== 'pending' ? (
        <View
          className='me-row me-inbox'
          data-unread={unread ?? ''}
          hoverClass='me-row--pressed'
          onClick={() => Taro.navigateTo({ url: '/pages/inbox/index' })}
        >
          <Text className='me-row-title'>消息</Text>
          {unread ? <Text className='me-inbox-count'>{unread} 条未读</Text> : <Text className='me-row-hint'>支部发来的提醒 ›</Text>}
        </View>
      ) : null}
      {me && me.member.joinStatus !== 'pending' ? <ReviewEntry /> : null}
      {me && me.member.joinStatus !== 'pending' ? (
        <View className='me-row me-points' hoverClass='me-row--pressed' onClick={() => Taro.navigateTo({ url: '/pages/points/index' })}>
          <Text className='me-row-title'>我的积分</Text>
          <Text className='me-row-hint'>每一分的来由和积分规则 ›</Text>
        </View>
      ) : null}
      {me && me.member.joinStatus !== 'pending' ? (
        <View className='me-row me-archive' hoverClass='me-row--pressed' onClick={() => Taro.navigateTo({ url: '/pages/archive/index' })}>
          <Text className='me-row-title'>我的档案</Text>
          <Text className='me-row-hint'>全年组织生活、学习笔记和积分 ›</Text>
        </View>
      ) : null}
      {me && me.member.joinStatus !== 'pending' ? (
        <View className='me-row me-feedback' hoverClass='me-row--pressed' onClick={() => Taro.navigateTo({ url: '/pages/feedback/index' })}>
          <Text className='me-row-title'>意见建议</Text>
          <Text className='me-row-hint'>说说您对小程序的想法 ›</Text>
        </View>
      ) : null}
      {me && me.member.joinStatus !== 'pending' ? <ReminderBudget /> : null}
      {me && me.member.joinStatus !== 'pending' ? <MyRecord /> : null}
      {IS_H5 ? (
        <Button className='me-logout' onClick={onLogout}>
          退出登录
        </Button>
      ) : null}
    </View>
  )
}

export default withPageBoundary(MePage)
