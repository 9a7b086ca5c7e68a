import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { importRoster, rosterTemplateFile, type ImportResult } from '../../api/archive'
import { openFile, pickRosterFile, readAsBase64, type PickedFile } from '../../api/files'
import { ROSTER_COLUMNS } from '../../core/import/roster-columns'
import StatusBlock from '../../components/StatusBlock'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const IS_H5 = process.env.TARO_ENV === 'h5'
const ACTION_LABELS: Record<string, string> = { create: '新增', update: '更新', transfer: '转入', unchanged: '不变' }
/** The lead names the columns from the list the reader and the template share. */
const MUST = ROSTER_COLUMNS.filter((c) => c.need === '必填').map((c) => c.header)
const EITHER = ROSTER_COLUMNS.filter((c) => c.need === '二选一').map((c) => c.header)
const OPTIONAL = ROSTER_COLUMNS.filter((c) => c.need === '可不填').map((c) => c.header)

/** 第5行：手机号应为11位数字 → a line label the eye can run down, and what to fix. */
function ErrorLine({ text }: { text: string }) {
  const m = /^(第\d+行)：([\s\S]*)$/.exec(text)
  return (
    <View className='imp-error'>
      {m ? <Text className='imp-error-line num'>{m[1]}</Text> : null}
      <Text className='imp-error-text'>{m ? m[2] : text}</Text>
    </View>
  )
}

/** The web version's file picker: a real <input type="file">, hidden behind a big labelled button. */
function WebPicker({ onPicked }: { onPicked: (f: PickedFile) => void }) {
  return (
    <label className='imp-pick'>
      选择名册文件（.xlsx 或 .csv）
      <input
        className='imp-file'
        type='file'
        accept='.xlsx,.csv'
        onChange={(e) => {
          const file = (e.target as HTMLInputElement).files?.[0]
          if (file) void readAsBase64(file).then((content) => onPicked({ name: file.name, content }))
        }}
      />
    </label>
  )
}

/** 名册导入 (admins): pick a file, see what it would do row by row, then import all of it or nothing. */
function ImportPage() {
  const lt = useLargeText()
  const { me, loading, error, reload } = useMe()
  const orgId = me?.member.roles.find((r) => r.role === 'admin')?.orgId ?? null
  const [file, setFile] = useState<PickedFile | null>(null)
  const [preview, setPreview] = useState<ImportResult | null>(null)
  const [done, setDone] = useState<ImportResult | null>(null)
  const act = useAction()

  const check = (f: PickedFile) => {
    setFile(f)
    setDone(null)
    setPreview(null)
    void act.run(async () => setPreview(await importRoster(orgId as string, f, false)), '没有读出这个文件，请稍后再试')
  }
  const getTemplate = () =>
    void act.run(async () => {
      const f = await rosterTemplateFile(orgId as string)
      await openFile(f.url, f.fileName)
    }, '模板没有下载成功，请稍后再试')
  const commit = () => void act.run(async () => setDone(await importRoster(orgId as string, file as PickedFile, true)), '没有导入成功，这次什么都没有写入')

  if (!me) return <View className={`page imp-page ${lt.className}`}><StatusBlock loading={loading} error={error} onRetry={reload} /></View>
  if (!orgId) return <View className={`page imp-page ${lt.className}`}><Text className='page-lead'>名册由党委管理员统一导入。</Text></View>
  const p = preview
  return (
    <View className={`page imp-page ${lt.className}`}>
      <Text className='page-title'>名册导入</Text>
      <View className='imp-template'>
        <Text className='page-lead'>
          先下载模板，照第二行的示例每行填一位党员（示例行填好后删掉）。必填：{MUST.join('、')}，{EITHER.join('或')}至少填一个；可不填：{OPTIONAL.join('、')}。
        </Text>
        <Button className='imp-template-get' disabled={act.busy || undefined} onClick={getTemplate}>下载名册模板（.xlsx）</Button>
      </View>
      <Text className='form-hint'>先检查，没有问题再导入；同一份名册导入两次不会重复。</Text>
      {IS_H5 ? <WebPicker onPicked={check} /> : (
        <Button className='imp-pick' onClick={() => void act.run(async () => { const f = await pickRosterFile(); if (f) check(f) }, '没有选到文件')}>从微信聊天中选择名册文件</Button>
      )}
      {file ? <Text className='imp-file-name'>已选：{file.name}</Text> : null}
      {act.busy ? <StatusBlock loading loadingText='正在处理…' /> : null}
      {act.message ? <Text className='form-error'>{act.message}</Text> : null}
      {p && !done ? (
        <View className='imp-preview' data-errors={p.errorCount} data-create={p.counts.create}>
          <Text className='imp-summary'>
            共 {p.total} 人：新增 {p.counts.create}，更新 {p.counts.update}，转入 {p.counts.transfer}，不变 {p.counts.unchanged}
          </Text>
          {p.unknownColumns.length > 0 ? <Text className='form-hint'>这些列没有用上：{p.unknownColumns.join('、')}</Text> : null}
          {p.errorCount > 0 ? (
            <View className='imp-errors'>
              <Text className='imp-errors-title'>有 {p.errorCount} 处要改正（按行排列），改好后重新选择文件：</Text>
              {p.errors.map((e, i) => <ErrorLine key={i} text={e} />)}
            </View>
          ) : null}
          {p.rows.map((r) => (
            <View key={r.line} className={`imp-row imp-row--${r.action}`} data-line={r.line}>
              <Text className='imp-row-name'>第{r.line}行 {r.name}</Text>
              <Text className='imp-row-action'>{ACTION_LABELS[r.action]}{r.changes.length ? `：${r.changes.join('、')}` : ''}</Text>
            </View>
          ))}
          <Button className='imp-commit' disabled={p.errorCount > 0 || act.busy || undefined} onClick={commit}>
            {p.errorCount > 0 ? '改正后才能导入' : '确认导入'}
          </Button>
        </View>
      ) : null}
      {done ? (
        <View className='imp-done' data-create={done.counts.create}>
          <Text className='imp-done-title'>导入完成</Text>
          <Text className='imp-summary'>新增 {done.counts.create} 人，更新 {done.counts.update} 人，转入 {done.counts.transfer} 人，{done.counts.unchanged} 人没有变化。</Text>
          <Text className='form-hint'>新增的同志用本支部邀请码第一次打开小程序、填写同样的姓名后，书记确认即可与名册中的信息对应上。</Text>
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(ImportPage)
