import { useEffect, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import {
  flushQueue,
  installCheckinSync,
  onQueueChange,
  readQueue,
  type FlushReport,
  type QueuedCheckin
} from '../api/offline-queue'

export interface CheckinSyncState {
  /** Scans still waiting on this phone. */
  pending: QueuedCheckin[]
  /** The last flush that got answers from the server (null until one did). */
  lastReport: FlushReport | null
}

/**
 * Keeps offline check-ins moving: installs the app-show / network-back
 * listeners once, flushes whenever the page shows, and tells the page what
 * is still waiting and what the server answered for the ones sent.
 */
export function useCheckinSync(): CheckinSyncState {
  const [pending, setPending] = useState<QueuedCheckin[]>(() => readQueue())
  const [lastReport, setLastReport] = useState<FlushReport | null>(null)

  useEffect(() => {
    installCheckinSync()
    return onQueueChange((queue, report) => {
      setPending(queue)
      if (report && report.answered.length > 0) setLastReport(report)
    })
  }, [])

  useDidShow(() => {
    setPending(readQueue())
    flushQueue().catch(() => undefined)
  })

  return { pending, lastReport }
}
