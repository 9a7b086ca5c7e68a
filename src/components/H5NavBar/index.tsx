import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { useLargeText } from '../../hooks/useLargeText'
import { goBack } from './pages'
import './index.scss'

// Taro's H5 setNavigationBarTitle announces the new title on this event (and sets document.title itself).
const TITLE_EVENT = '__taroH5SetNavigationBarTitle'

interface Props {
  title: string
}

/**
 * The web version's stand-in for WeChat's own title bar on a page that is not
 * a tab: the page's title and a way back. Taro's H5 router has a bar of its
 * own (window.navigationStyle 'default'), but its back control is a 24 px icon
 * with no label, its title is cut at 100 px, it cannot follow 长辈模式, and
 * keeping it off the tabs would take per-page config that the weapp reads too.
 */
export default function H5NavBar({ title: initial }: Props) {
  const lt = useLargeText()
  const [title, setTitle] = useState(initial)

  useEffect(() => {
    // A page that names itself later (活动详情 → 支部党员大会) does it through Taro.setNavigationBarTitle.
    const page = Taro.getCurrentInstance().page
    const onTitle = (next: unknown) => {
      if (typeof next === 'string' && Taro.getCurrentInstance().page === page) setTitle(next)
    }
    Taro.eventCenter.on(TITLE_EVENT, onTitle)
    return () => {
      Taro.eventCenter.off(TITLE_EVENT, onTitle)
    }
  }, [])

  useEffect(() => {
    if (title) document.title = title
  }, [title])

  return (
    <View className={`h5-nav${lt.large ? ' h5-nav--large' : ''}`}>
      <Button className='h5-nav-back' aria-label='返回上一页' onClick={goBack}>
        <Text className='h5-nav-back-arrow' aria-hidden='true'>
          ‹
        </Text>
        返回
      </Button>
      <View className='h5-nav-title' role='heading' aria-level={1}>
        {title}
      </View>
      {/* Keeps the title centred on the bar: as wide as the back control. */}
      <View className='h5-nav-balance' />
    </View>
  )
}
