// No zod here: screens take their words from src/core/vocab, so the app ships
// without zod. Were a schema ever imported, src/core/zod.ts (where every
// schema gets its `z`) turns on jitless before the first schema exists.
import { useDidShow, useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { installCheckinSync } from './api/offline-queue'
import { unreadCount } from './api/remind'
import { getToken } from './api/session'
import { LOGIN_URL } from './hooks/useMe'
import { showUnreadBadge } from './hooks/useUnread'
import './app.scss'

// Web version without a session: open on the login page itself. Left to the
// home page, a first visit loads home's code, asks who is signed in, and only
// then redirects — two round trips a weak phone feels. Runs before Taro's
// router is created (this module is imported first), so the router starts there.
if (process.env.TARO_ENV === 'h5' && !getToken() && !window.location.hash.startsWith(`#${LOGIN_URL}`)) {
  window.location.replace(`#${LOGIN_URL}`)
}

function App({ children }: PropsWithChildren) {
  // A check-in scanned without signal is sent when the network returns,
  // even if the member never opens 签到 again.
  useLaunch(() => installCheckinSync())
  // Back in the foreground (say, from a WeChat reminder): the 我的 tab shows the unread count
  // whichever tab opens. Not signed in, or no network: no badge, no error.
  useDidShow(() => {
    // The web version signs in with a token; without one there is nobody to count for.
    if (process.env.TARO_ENV === 'h5' && !getToken()) return
    unreadCount()
      .then(showUnreadBadge)
      .catch(() => undefined)
  })
  // children are the pages Taro renders.
  return children
}

export default App
