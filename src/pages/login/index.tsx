import { useMemo, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ApiError } from '../../api'
import { devIdentities, devLogin, devNewcomer, type DevIdentity } from '../../api/auth'
import StatusBlock from '../../components/StatusBlock'
import { useRequest } from '../../hooks/useRequest'
import { withPageBoundary } from '../../components/PageBoundary'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

interface Group {
  branchName: string
  people: DevIdentity[]
}

function groupByBranch(list: DevIdentity[]): Group[] {
  const groups: Group[] = []
  const index = new Map<string, Group>()
  for (const person of list) {
    const name = person.branchName || '未分配支部'
    let group = index.get(name)
    if (!group) {
      group = { branchName: name, people: [] }
      index.set(name, group)
      groups.push(group)
    }
    group.people.push(person)
  }
  return groups
}

/** Local demo only: pick one of the seeded people. WeChat users are known by their account. */
function Login() {
  const { data, loading, error, retry } = useRequest(IS_H5 ? 'identities' : null, devIdentities)
  const groups = useMemo(() => groupByBranch(data ?? []), [data])
  const [busyId, setBusyId] = useState<string | null>(null)
  const [loginError, setLoginError] = useState<string>('')

  const pick = async (person: DevIdentity) => {
    if (busyId) return
    setBusyId(person.memberId)
    setLoginError('')
    try {
      await devLogin(person.memberId)
      await Taro.switchTab({ url: '/pages/index/index' })
    } catch (err) {
      setLoginError(err instanceof ApiError ? err.message : '登录没有成功，请再试一次')
    } finally {
      setBusyId(null)
    }
  }

  if (!IS_H5) {
    return (
      <View className='page login'>
        <Text className='page-title'>无需登录</Text>
        <Text className='page-lead'>在微信中使用时，系统会自动识别您的身份。</Text>
        <Button className='login-home' onClick={() => Taro.switchTab({ url: '/pages/index/index' })}>
          回到首页
        </Button>
      </View>
    )
  }

  return (
    <View className='page login'>
      <Text className='page-title'>选择一个演示身份登录</Text>
      <Text className='page-lead'>这是本地试用版，数据都是演示数据。点一下任意一位，就能以他的身份体验。</Text>

      {loginError ? <Text className='login-error'>{loginError}</Text> : null}

      <Button
        className='login-newcomer'
        onClick={() =>
          devNewcomer()
            .then(() => Taro.switchTab({ url: '/pages/index/index' }))
            .catch((err) => setLoginError(err instanceof ApiError ? err.message : '没有成功，请再试一次'))
        }
      >
        我是新同志，用邀请码加入支部
      </Button>

      <StatusBlock loading={loading} error={error} onRetry={retry} loadingText='正在读取演示身份…' />

      {!loading && !error && groups.length === 0 ? (
        <StatusBlock error={new ApiError('NOT_FOUND', '还没有演示身份，请先运行演示数据的初始化')} onRetry={retry} />
      ) : null}

      {groups.map((group) => (
        <View key={group.branchName} className='login-group'>
          <Text className='login-group-title'>{group.branchName}</Text>
          {group.people.map((person) => (
            <View
              key={person.memberId}
              className={`login-identity${busyId === person.memberId ? ' login-identity--busy' : ''}`}
              data-member-id={person.memberId}
              hoverClass='login-identity--pressed'
              onClick={() => pick(person)}
            >
              <Text className='login-identity-name'>{person.name}</Text>
              <Text className='login-identity-role'>
                {busyId === person.memberId ? '正在登录…' : person.roleLabel}
              </Text>
            </View>
          ))}
        </View>
      ))}
    </View>
  )
}

export default withPageBoundary(Login)
