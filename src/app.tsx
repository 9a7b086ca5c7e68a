// Must stay the first import: it switches zod to jitless mode before any
// schema exists, because mini-programs forbid eval / new Function.
import './core/zod'
import { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { installCheckinSync } from './api/offline-queue'
import './app.scss'

function App({ children }: PropsWithChildren) {
  // A check-in scanned without signal is sent when the network returns,
  // even if the member never opens 签到 again.
  useLaunch(() => installCheckinSync())
  // children are the pages Taro renders.
  return children
}

export default App
