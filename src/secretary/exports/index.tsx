import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { exportLedger, type ArchiveFile, type LedgerKind } from '../../api/archive'
import { openFile } from '../../api/files'
import StatusBlock from '../../components/StatusBlock'
import { LEDGER_KINDS, LEDGER_LABELS } from '../../core/vocab/archive'
import { periodKeysOf, periodName } from '../../core/period'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { Chips, Field } from '../schedule/fields'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const HINTS: Record<LedgerKind, string> = {
  attendance: '每位党员每次组织生活的情况：出席、迟到、请假、补学、缺席',
  minutes: '每次会议的主持人、记录人、应到实到、请假和缺席名单、学习内容和决议',
  notes: '每位党员的笔记篇数、字数、计入字数、心得体会和是否达标',
  points: '积分汇总和每一条积分的来由（含更正）',
  warnings: '本季度黄色、红色预警和连续未参加组织生活的提醒'
}

/** The periods offered: this year and last, this year's quarters so far, and the last three months. */
function periodsFrom(now: number): string[] {
  const k = periodKeysOf(now)
  const y = Number(k.year)
  const q = Number(k.quarter.slice(-1))
  const month = Number(k.month.slice(-2))
  const months = [0, 1, 2].map((i) => {
    const m = month - i
    return m > 0 ? `${y}-${String(m).padStart(2, '0')}` : `${y - 1}-${String(m + 12).padStart(2, '0')}`
  })
  return [String(y), String(y - 1), ...Array.from({ length: q }, (_v, i) => `${y}-Q${q - i}`), ...months]
}

/** 台账导出: the year-end ledgers as Excel, for the branch or (admins) the whole 党委. */
function ExportsPage() {
  const lt = useLargeText()
  const { me, loading, error, reload } = useMe()
  const adminOrg = me?.member.roles.find((r) => r.role === 'admin')?.orgId ?? null
  const [kind, setKind] = useState<LedgerKind>('attendance')
  const [scope, setScope] = useState<'branch' | 'org'>('branch')
  const periods = periodsFrom(Date.now())
  const [period, setPeriod] = useState(periods[0])
  const [file, setFile] = useState<ArchiveFile | null>(null)
  const act = useAction()
  if (!me) return <View className={`page ex-page ${lt.className}`}><StatusBlock loading={loading} error={error} onRetry={reload} /></View>

  const run = () =>
    void act.run(async () => {
      setFile(null)
      const out = await exportLedger(kind, scope === 'org' && adminOrg ? { orgId: adminOrg } : { branchId: me.member.branchId }, period)
      setFile(out)
      await openFile(out.url, out.fileName)
    }, '没有导出成功，请稍后再试')

  return (
    <View className={`page ex-page ${lt.className}`}>
      <Text className='page-title'>台账导出</Text>
      <Text className='page-lead'>导出为 Excel，供年终检查和归档。个人档案在“党员名册”中每位党员的页面里。</Text>
      <Field label='哪一种台账' hint={HINTS[kind]}>
        <Chips<LedgerKind> className='ex-kind' options={LEDGER_KINDS.map((k) => ({ value: k, label: LEDGER_LABELS[k] }))} value={kind} onChange={setKind} />
      </Field>
      {adminOrg ? (
        <Field label='范围'>
          <Chips className='ex-scope' options={[{ value: 'branch', label: me.branch.name }, { value: 'org', label: '全党委（各支部）' }]} value={scope} onChange={(v) => setScope(v as 'branch' | 'org')} />
        </Field>
      ) : null}
      <Field label='时间'>
        <Chips className='ex-period' options={periods.map((p) => ({ value: p, label: periodName(p) }))} value={period} onChange={setPeriod} />
      </Field>
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      <Button className='ex-go' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={run}>导出 Excel</Button>
      {file ? (
        <View className='ex-done' data-file-name={file.fileName} data-rows={file.rows}>
          <Text className='ex-done-title'>已生成：{file.fileName}</Text>
          <Text className='form-hint'>共 {file.rows} 行。链接一小时内有效，没有自动下载的话点下面的按钮。</Text>
          <Button className='ex-open' onClick={() => void openFile(file.url, file.fileName)}>再次下载</Button>
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(ExportsPage)
