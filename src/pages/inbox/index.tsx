import { useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { inbox, markAllRead, markRead, type InboxItem } from '../../api/remind'
import StatusBlock from '../../components/StatusBlock'
import SubscribeAsk from '../../components/SubscribeAsk'
import { momentText } from '../../components/format'
import { REMINDER_KIND_LABELS } from '../../core/vocab/reminder'
import { useLargeText } from '../../hooks/useLargeText'
import { useAction } from '../../hooks/useAction'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { showUnreadBadge } from '../../hooks/useUnread'
import { withPageBoundary } from '../../components/PageBoundary'
import './index.scss'

const PAGE = 20

function isUnread(d: InboxItem): boolean {
  return !d.inApp.readAt
}

function targetUrl(d: InboxItem): string | null {
  if (d.sessionId) return `/pages/session/index?sessionId=${encodeURIComponent(d.sessionId)}`
  if (d.noteId) return `/pages/note/index?noteId=${encodeURIComponent(d.noteId)}`
  if (d.reviewId) return `/review/index/index?reviewId=${encodeURIComponent(d.reviewId)}`
  return null
}

function targetLabel(d: InboxItem): string {
  if (d.sessionId) return '查看活动 ›'
  if (d.noteId) return '查看笔记 ›'
  return '查看评议 ›'
}

/** 消息: the branch's reminders to me, newest first; a tap reads it and opens what it is about. */
function InboxPage() {
  const lt = useLargeText()
  const [round] = useRefreshRound()
  const req = useRequest(`inbox:${round}`, () => inbox({ limit: PAGE }))
  const [items, setItems] = useState<InboxItem[]>([])
  const [unread, setUnread] = useState(0)
  const [more, setMore] = useState(false)
  const all = useAction()
  const next = useAction()

  // Read here but perhaps not yet recorded when the list reloads (the mark is sent while the page
  // opens): a fresh list must not show them as unread again.
  const readHere = useRef(new Map<string, number>())

  useEffect(() => {
    if (!req.data) return
    const seen = readHere.current
    const list = req.data.items.map((d) => (isUnread(d) && seen.has(d._id) ? { ...d, inApp: { ...d.inApp, readAt: seen.get(d._id) } } : d))
    const left = Math.max(0, req.data.unread - req.data.items.filter((d) => isUnread(d) && seen.has(d._id)).length)
    setItems(list)
    setMore(req.data.items.length >= PAGE)
    // Opening 消息 reads it: the badge clears at once and the server is told, while the dots stay
    // on this screen so the member still sees which messages are new. A failed mark only means the
    // badge comes back next time, so it is not worth an error.
    setUnread(0)
    showUnreadBadge(0)
    if (left > 0) {
      const now = Date.now()
      for (const d of list) if (isUnread(d)) seen.set(d._id, now)
      markAllRead().catch(() => undefined)
    }
  }, [req.data])

  const readLocally = (ids: string[] | 'all') => {
    const now = Date.now()
    const hit = (d: InboxItem) => ids === 'all' || ids.includes(d._id)
    for (const d of items) if (hit(d)) readHere.current.set(d._id, now)
    const newlyRead = items.filter((d) => isUnread(d) && hit(d)).length
    setItems((list) => list.map((d) => (isUnread(d) && hit(d) ? { ...d, inApp: { ...d.inApp, readAt: now } } : d)))
    const left = ids === 'all' ? 0 : Math.max(0, unread - newlyRead)
    setUnread(left)
    showUnreadBadge(left)
  }

  const onOpen = (d: InboxItem) => {
    if (isUnread(d)) {
      readLocally([d._id])
      // Reading is a courtesy to the member's own list: a failed mark shows again as unread next time, nothing more.
      markRead([d._id]).catch(() => undefined)
    }
    const url = targetUrl(d)
    if (url) Taro.navigateTo({ url })
  }

  const onAllRead = () => all.run(() => markAllRead().then(() => readLocally('all')), '没有标记成功，请稍后再试')

  const onMore = () =>
    next.run(async () => {
      const out = await inbox({ skip: items.length, limit: PAGE })
      const known = new Set(items.map((d) => d._id))
      setItems((list) => [...list, ...out.items.filter((d) => !known.has(d._id))])
      setMore(out.items.length >= PAGE)
    }, '没有加载出来，请稍后再试')

  const loaded = req.data !== undefined

  return (
    <View className={`page inbox-page ${lt.className}`} data-unread={loaded ? unread : ''}>
      <View className='inbox-head'>
        <Text className='page-title'>消息</Text>
        {unread > 0 ? (
          <Button className='inbox-all-read' loading={all.busy || undefined} onClick={onAllRead}>
            全部已读
          </Button>
        ) : null}
      </View>
      {all.message ? <Text className='inbox-error'>{all.message}</Text> : null}
      <SubscribeAsk templates={['outcome', 'session_tomorrow', 'notes_behind']} />
      <StatusBlock loading={req.loading && !loaded} error={req.error} onRetry={req.retry} />

      {loaded && items.length === 0 ? (
        <View className='inbox-empty'>
          <Text className='inbox-empty-title'>还没有消息</Text>
          <Text className='inbox-empty-text'>支部的活动通知、学习提醒，以及请假、笔记、补学、民主评议的办理结果都会出现在这里。</Text>
        </View>
      ) : null}

      {items.map((d) => (
        <View
          key={d._id}
          className={`inbox-item${isUnread(d) ? ' inbox-item--unread' : ''}`}
          data-delivery-id={d._id}
          data-session-id={d.sessionId ?? ''}
          data-note-id={d.noteId ?? ''}
          data-review-id={d.reviewId ?? ''}
          hoverClass='inbox-item--pressed'
          onClick={() => onOpen(d)}
        >
          <View className='inbox-item-head'>
            {isUnread(d) ? <View className='inbox-dot' /> : null}
            <Text className='inbox-item-title'>{d.title}</Text>
          </View>
          <Text className='inbox-item-body'>{d.body}</Text>
          <View className='inbox-item-foot'>
            <Text className='inbox-item-meta'>
              {REMINDER_KIND_LABELS[d.kind] ?? '支部通知'} · {momentText(d.deliverAt || d.createdAt)}
            </Text>
            {targetUrl(d) ? <Text className='inbox-item-go'>{targetLabel(d)}</Text> : null}
          </View>
        </View>
      ))}

      {more ? (
        <Button className='inbox-more' loading={next.busy || undefined} onClick={onMore}>
          看更早的消息
        </Button>
      ) : null}
      {next.message ? <Text className='inbox-error'>{next.message}</Text> : null}
    </View>
  )
}

export default withPageBoundary(InboxPage)
