// Must stay the first import: it switches zod to jitless mode before any
// schema exists, because mini-programs forbid eval / new Function.
import './core/zod'
import type { PropsWithChildren } from 'react'
import './app.scss'

function App({ children }: PropsWithChildren) {
  // children are the pages Taro renders.
  return children
}

export default App
