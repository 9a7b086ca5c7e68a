import { Button, Text, View } from '@tarojs/components'
import type { ApiError } from '../../api'
import { errorText, isNotReady } from '../errorText'
import './index.scss'

interface Props {
  loading?: boolean
  error?: ApiError | null
  onRetry?: () => void
  loadingText?: string
}

/** Loading and error states in plain words, with a big retry button. */
export default function StatusBlock({ loading, error, onRetry, loadingText }: Props) {
  if (error) {
    const notReady = isNotReady(error)
    return (
      <View className={`status-block status-error${notReady ? ' status-not-ready' : ''}`} data-code={error.code}>
        <Text className='status-text'>{errorText(error)}</Text>
        {onRetry && !notReady ? (
          <Button className='status-retry' onClick={onRetry}>
            再试一次
          </Button>
        ) : null}
      </View>
    )
  }
  if (loading) {
    return (
      <View className='status-block status-loading'>
        <Text className='status-text'>{loadingText ?? '正在加载，请稍候…'}</Text>
      </View>
    )
  }
  return null
}
