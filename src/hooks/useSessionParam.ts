import { useRouter } from '@tarojs/taro'

/**
 * The session a page is about, from `?id=` or `?sessionId=` (both accepted,
 * so links and tests may use either). Decoded once; '' when absent.
 */
export function useSessionParam(): string {
  const { params } = useRouter()
  const raw = params.id || params.sessionId || ''
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}
