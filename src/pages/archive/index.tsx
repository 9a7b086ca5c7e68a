import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { memberArchive, memberArchiveFile } from '../../api/archive'
import { openFile } from '../../api/files'
import StatusBlock from '../../components/StatusBlock'
import { FINAL_WORDS, yearFiguresParts, yearRestParts } from '../../core/checkin/words'
import { periodKeysOf } from '../../core/period'
import { useLargeText } from '../../hooks/useLargeText'
import { useAction } from '../../hooks/useAction'
import { useRequest } from '../../hooks/useRequest'
import Figures from '../../components/Figures'
import { withPageBoundary } from '../../components/PageBoundary'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

/**
 * 党员日常教育管理个人档案: one member's year on one page, laid out to print
 * (H5) or to export as Excel. Opened by the member (their own) or by an
 * officer of their branch (?memberId=).
 */
function ArchivePage() {
  const lt = useLargeText()
  const { params } = useRouter()
  const memberId = params.memberId ? decodeURIComponent(params.memberId) : undefined
  const thisYear = Number(periodKeysOf(Date.now()).year)
  const [year, setYear] = useState(params.year ? Number(params.year) : thisYear)
  const req = useRequest(`archive:${memberId ?? 'me'}:${year}`, () => memberArchive(year, memberId))
  const act = useAction()
  const a = req.data
  const exportIt = () => void act.run(async () => {
    const f = await memberArchiveFile(year, memberId)
    await openFile(f.url, f.fileName)
  }, '没有导出成功，请稍后再试')

  return (
    <View className={`page ar-page ${lt.className}`} data-year={year}>
      <View className='ar-years no-print'>
        {[thisYear, thisYear - 1].map((y) => (
          <Text key={y} className={`ar-year${y === year ? ' ar-year--on' : ''}`} onClick={() => setYear(y)}>{y}年</Text>
        ))}
      </View>
      <StatusBlock loading={req.loading && !a} error={req.error} onRetry={req.retry} />
      {a ? (
        <View className='ar-doc'>
          <Text className='ar-title'>{a.member.name} {a.year}年 党员日常教育管理个人档案</Text>
          <View className='ar-facts'>
            <Text className='ar-fact'>所在支部：{a.member.branchName}</Text>
            <Text className='ar-fact'>职级：{a.member.rank}{a.member.retired ? ' · 离退休' : ''}{a.member.leadingCadre ? ' · 领导干部' : ''}</Text>
            {a.member.exempt ? <Text className='ar-fact'>不计定额和预警：{a.member.exempt}</Text> : null}
          </View>

          <Text className='ar-section'>组织生活</Text>
          <View className='ar-line ar-attendance-total' data-expected={a.attendanceTotals.expected} data-present={a.attendanceTotals.present}>
            {/* The same figures as 我的 and the session page; each part kept whole with its unit. */}
            <View className='ar-figures'>
              {yearFiguresParts(a.attendanceTotals).map((part) => <Text key={part} className='ar-figure num'>{part}</Text>)}
            </View>
            <View className='ar-figures ar-figures--rest'>
              {yearRestParts(a.attendanceTotals).map((part) => <Text key={part} className='ar-figure num'>{part}</Text>)}
            </View>
          </View>
          {a.attendance.map((r, i) => (
            <View key={i} className='ar-row'>
              <Text className='ar-cell ar-date'>{r.date}</Text>
              <Figures className='ar-cell ar-what' text={`${r.type} · ${r.title}`} />
              <Text className={`ar-cell ar-mark ar-mark--${r.mark === FINAL_WORDS.absent ? 'absent' : 'ok'}`}>{r.mark}</Text>
            </View>
          ))}

          <Text className='ar-section'>学习笔记</Text>
          <Text className='ar-line ar-notes-total'>
            {a.notesTotals.count} 篇，{a.notesTotals.words.toLocaleString()} 字，计入 {a.notesTotals.credited.toLocaleString()} 字{a.notesTotals.quotaWords !== null ? `（全年定额 ${a.notesTotals.quotaWords.toLocaleString()} 字）` : ''}；心得体会 {a.notesTotals.essays} 篇{a.notesTotals.quotaEssays !== null ? `（定额 ${a.notesTotals.quotaEssays} 篇）` : ''}
          </Text>
          {a.notes.map((n, i) => (
            <View key={i} className='ar-row ar-row--note'>
              <Text className='ar-cell ar-date'>{n.date}</Text>
              <View className='ar-cell ar-what'>
                <Figures className='ar-note-title' text={`${n.kind}：${n.title}`} />
                <Figures className='ar-note-meta' text={`${n.words} 字，计入 ${n.credited} 字 · ${n.review}`} />
                {n.comment ? <Text className='ar-note-comment'>书记意见：{n.comment}</Text> : null}
              </View>
            </View>
          ))}

          <Text className='ar-section'>积分</Text>
          <Figures className='ar-line ar-points-total' text={`全年合计 ${a.pointsTotal} 分，共 ${a.points.length} 条记录`} />
          {a.points.map((p, i) => (
            <View key={i} className='ar-row'>
              <Text className='ar-cell ar-date'>{p.date}</Text>
              <Figures className='ar-cell ar-what' text={`${p.reason}${p.correction ? '（更正）' : ''}`} />
              <Text className='ar-cell ar-mark'>{p.delta > 0 ? `+${p.delta}` : p.delta}</Text>
            </View>
          ))}

          <Text className='ar-section'>预警</Text>
          <Text className='ar-line'>{a.warnings.length ? a.warnings.join('；') : '无'}</Text>

          <Text className='ar-section'>民主评议</Text>
          {/* Older servers answer without it: read as not recorded. */}
          <Text className='ar-line ar-review'>{a.review ? `${a.review.grade}${a.review.reason ? `（理由：${a.review.reason}）` : ''}` : '本年度未记录'}</Text>
        </View>
      ) : null}
      {a ? (
        <View className='ar-actions no-print'>
          {act.message ? <Text className='form-error'>{act.message}</Text> : null}
          <Button className='ar-export' loading={act.busy || undefined} onClick={exportIt}>导出 Excel</Button>
          {IS_H5 ? <Button className='ar-print' onClick={() => window.print()}>打印</Button> : null}
        </View>
      ) : null}
    </View>
  )
}

export default withPageBoundary(ArchivePage)
