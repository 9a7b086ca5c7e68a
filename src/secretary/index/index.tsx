import { Text, View } from '@tarojs/components'
import { members } from '../../api/org'
import RoleLine from '../components/RoleLine'
import StatusBlock from '../../components/StatusBlock'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import './index.scss'

const COMING = [
  { key: 'schedule', title: '排期', hint: '安排三会一课、主题党日和专题学习' },
  { key: 'qrcode', title: '签到码', hint: '在活动现场出示会变化的签到二维码' },
  { key: 'review', title: '审阅笔记', hint: '查看党员的读书笔记和心得体会' },
  { key: 'remind', title: '提醒', hint: '只提醒还没签到或进度落后的同志' }
] as const

/** Secretary tools (subpackage). For now it lists what is coming and the branch's members. */
export default function SecretaryHome() {
  const { me, error: meError, reload } = useMe()
  const branchId = me ? me.member.branchId : null
  const list = useRequest(branchId, () => members(branchId as string))

  return (
    <View className='page secretary'>
      <Text className='page-title'>书记工作台</Text>
      <Text className='page-lead'>下面这些工具即将上线：</Text>
      <View className='secretary-coming'>
        {COMING.map((item) => (
          <View key={item.key} className='secretary-coming-item'>
            <Text className='secretary-coming-title'>{item.title}</Text>
            <Text className='secretary-coming-hint'>{item.hint}</Text>
          </View>
        ))}
      </View>

      <Text className='secretary-section'>
        {me ? `${me.branch.name}的党员` : '本支部党员'}
        {list.data ? `（${list.data.length} 人）` : ''}
      </Text>
      {meError && !me ? <StatusBlock error={meError} onRetry={reload} /> : null}
      <StatusBlock loading={list.loading} error={list.error} onRetry={list.retry} />
      {list.data ? (
        <View className='member-list'>
          {list.data.map((m) => (
            <View key={m._id} className='member-row' data-member-id={m._id}>
              <Text className='member-row-name'>{m.name}</Text>
              <RoleLine member={m} />
            </View>
          ))}
        </View>
      ) : null}
    </View>
  )
}
