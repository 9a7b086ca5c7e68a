// react-dom ships no types and @types/react-dom is not installed; the H5
// build uses the real react-dom (weapp aliases it to @tarojs/react). Only
// what the app calls is declared: the web camera view renders on <body>.
declare module 'react-dom' {
  import type { ReactNode, ReactPortal } from 'react'
  export function createPortal(children: ReactNode, container: Element | DocumentFragment, key?: string | null): ReactPortal
}
