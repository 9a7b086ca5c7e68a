import { Component, useEffect, useState, type ComponentType, type ErrorInfo, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { useLargeText } from '../../hooks/useLargeText'
import H5NavBar from '../H5NavBar'
import { installOfflineHelp } from '../H5NavBar/offline'
import { HOME, currentPageInfo, wantsBar } from '../H5NavBar/pages'
import './index.scss'


function onHomePage(): boolean {
  const path = Taro.getCurrentInstance().router?.path ?? ''
  return path.replace(/^\//, '').split('?')[0] === HOME.slice(1)
}

/** What a member sees instead of a broken page: no codes, no stack, two ways on. */
function PageTrouble({ onReload }: { onReload: () => void }) {
  const lt = useLargeText()
  return (
    <View className={`page page-trouble ${lt.className}`} role='alert'>
      <Text className='page-trouble-title'>页面出了点问题</Text>
      <Text className='page-trouble-text'>请点“重新加载”再试一次；如果还是不行，可以先回到首页，稍后再来。</Text>
      <Button className='page-trouble-reload' onClick={onReload}>
        重新加载
      </Button>
      {onHomePage() ? null : (
        <Button className='page-trouble-home' onClick={() => void Taro.switchTab({ url: HOME })}>
          返回首页
        </Button>
      )}
    </View>
  )
}

interface Props {
  children?: ReactNode
}

interface State {
  failed: boolean
}

/**
 * Catches a render error anywhere in one page. It has to be a class: React
 * only lets a class component catch errors below it (getDerivedStateFromError
 * and componentDidCatch have no hook form). Taro's own page wrapper also
 * catches, but then renders nothing, which leaves a blank screen.
 */
export default class PageBoundary extends Component<Props, State> {
  state: State = { failed: false }

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true }
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    // Once per failure, for whoever reads the console (devtools, H5); the member sees only PageTrouble.
    console.error('页面渲染出错', error, info.componentStack)
  }

  // The fallback replaced the broken content, so showing it again mounts it
  // afresh: its state starts over and its effects fetch again.
  private reload = (): void => this.setState({ failed: false })

  render(): ReactNode {
    return this.state.failed ? <PageTrouble onReload={this.reload} /> : this.props.children
  }
}

/** On H5, the title bar a non-tab page needs (WeChat draws its own); null for tabs and on weapp. */
function useH5Bar(): string | null {
  // Read once, while this page first renders: Taro's current page is this one then.
  const [title] = useState<string | null>(() => {
    if (process.env.TARO_ENV !== 'h5') return null
    const info = currentPageInfo()
    return wantsBar(info.path) ? info.title : null
  })
  useEffect(() => {
    if (process.env.TARO_ENV === 'h5') installOfflineHelp()
  }, [])
  return title
}

/**
 * Every page's default export goes through this, so no page error leaves a
 * blank screen and, on H5, every page that is not a tab has a title and a way back.
 */
export function withPageBoundary<P extends object>(Page: ComponentType<P>): ComponentType<P> {
  function BoundedPage(props: P) {
    const barTitle = useH5Bar()
    return (
      <>
        {process.env.TARO_ENV === 'h5' && barTitle !== null ? <H5NavBar title={barTitle} /> : null}
        <PageBoundary>
          <Page {...props} />
        </PageBoundary>
      </>
    )
  }
  BoundedPage.displayName = `withPageBoundary(${Page.displayName || Page.name || 'Page'})`
  return BoundedPage
}
