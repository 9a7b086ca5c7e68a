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

// No connection at all (or none that answers): say what to do, in the words of the button.
export const OFFLINE_TEXT = '网络没有连上，请检查网络后点“重试”'

/** Loading and error states in plain words, with a big retry button. */
export default function StatusBlock({ loading, error, onRetry, loadingText }: Props) {
  if (error) {
    const notReady = isNotReady(error)
    const offline = error.code === 'NETWORK'
    const retry = onRetry && !notReady
    return (
      <View className={`status-block status-error${notReady ? ' status-not-ready' : ''}${offline ? ' status-offline' : ''}`} data-code={error.code} role='alert'>
        <Text className='status-text'>{offline && retry ? OFFLINE_TEXT : errorText(error)}</Text>
        {retry ? (
          <Button className='status-retry' onClick={onRetry}>
            {offline ? '重试' : '再试一次'}
          </Button>
        ) : null}
      </View>
    )
  }
  if (loading) {
    return (
      <View className='status-block status-loading' role='status'>
        {/* Moves, so a slow answer never looks like a frozen page. */}
        <View className='status-spinner' aria-hidden='true' />
        <Text className='status-text'>{loadingText ?? '正在加载，请稍候…'}</Text>
      </View>
    )
  }
  return null
}
