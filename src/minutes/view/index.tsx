import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { getMinutes, type MinutesView } from '../../api/minutes'
import Figures from '../../components/Figures'
import StatusBlock from '../../components/StatusBlock'
import { momentText, typeLabel, whenText } from '../../components/format'
import { withPageBoundary } from '../../components/PageBoundary'
import { MINUTES_FIELD_LABELS } from '../../core/minutes/record'
import { useRequest } from '../../hooks/useRequest'
import { useSessionParam } from '../../hooks/useSessionParam'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { makeupWordOf as makeupWord, peopleText } from '../../core/minutes/words'
import { ExchangeRows, MaterialsRow, SeminarPlanRows } from '../components/RecordLinks'
import Row from '../components/Row'
import { MinutesPhotosRead } from '../components/Photos'
import './index.scss'

function Attendance({ a }: { a: MinutesView['attendance'] }) {
  const absentWord = a.over ? '缺席' : '未签到'
  return (
    <>
      <Row label='出席情况' name='counts'>
        <Figures className='mr-figures' text={`应到 ${a.expected} 人，实到 ${a.present} 人（其中迟到 ${a.late} 人），请假 ${a.leave.length} 人，${absentWord} ${a.absent.length} 人`} />
      </Row>
      <Row label='请假' name='leave'>
        <Text className='mr-names'>{peopleText(a.leave.map((l) => `${l.name}${l.reason ? `（${l.reason}）` : l.approved ? '' : '（待批准）'}`))}</Text>
      </Row>
      <Row label={absentWord} name='absent'>
        <Text className='mr-names'>{peopleText(a.absent.map((x) => `${x.name}${a.over && x.makeup !== 'none' ? `（${makeupWord(x.makeup)}）` : ''}`))}</Text>
      </Row>
      <Row label='出席' name='attended'>
        <Text className='mr-names'>{peopleText(a.attended.map((x) => x.name))}</Text>
      </Row>
    </>
  )
}

function print() {
  // Only the browser prints; on WeChat the button is not shown.
  if (process.env.TARO_ENV === 'h5') window.print()
}

/**
 * 会议记录 of one session, in the layout a 会议记录本 uses, printable from the
 * browser. Officers get 填写 / 更正; a member expected at the session reads
 * it (an absent one sees what was studied and decided).
 */
function MinutesPage() {
  const sessionId = useSessionParam()
  const [round] = useRefreshRound()
  const req = useRequest(sessionId ? `minutes:${sessionId}:${round}` : null, () => getMinutes(sessionId))
  const v = req.data
  if (!v) {
    return (
      <View className='page mr-page'>
        <StatusBlock loading={req.loading} error={req.error} onRetry={req.retry} />
      </View>
    )
  }
  const c = v.minutes.content
  const empty = '（未填写）'
  return (
    <View className='page mr-page'>
      <View className='mr-doc'>
        <Text className='mr-title'>会议记录</Text>
        <Row label='会议名称' name='name'>
          <Text>
            {/* "第四季度专题学习研讨（专题学习研讨）" says it twice: the kind only where the title does not. */}
            {v.session.title.includes(typeLabel(v.session.type)) ? v.session.title : `${v.session.title}（${typeLabel(v.session.type)}）`}
          </Text>
        </Row>
        <Row label='时间' name='when'>
          <Figures text={whenText(v.session.startAt, v.session.endAt)} />
        </Row>
        <Row label='地点' name='venue'>
          <Text>{v.session.venue.name}</Text>
        </Row>
        <SeminarPlanRows v={v} />
        <Row label='主持人' name='chair'>
          <Text>{v.minutes.chairName || empty}</Text>
        </Row>
        <Row label='记录人' name='recorder'>
          <Text>{v.minutes.recorderName || empty}</Text>
        </Row>
        <Attendance a={v.attendance} />
        <Row label={MINUTES_FIELD_LABELS.agenda} name='agenda'>
          <Text className='mr-text'>{c.agenda || empty}</Text>
        </Row>
        <MaterialsRow v={v} />
        <Row label={MINUTES_FIELD_LABELS.discussion} name='discussion'>
          <Text className='mr-text'>{c.discussion || empty}</Text>
        </Row>
        <Row label={MINUTES_FIELD_LABELS.decisions} name='decisions'>
          <Text className='mr-text'>{c.decisions || empty}</Text>
        </Row>
        <ExchangeRows v={v} />
        <MinutesPhotosRead view={v} />
        {v.minutes.lockedAt ? (
          <Figures className='mr-locked' text={`${v.minutes.lockedByName || '支部'}已于 ${momentText(v.minutes.lockedAt)} 确认并锁定这份记录。`} />
        ) : (
          <Text className='mr-draft'>这份记录还没有锁定，支部书记、支委还可以修改。</Text>
        )}
        {v.minutes.corrections.length > 0 ? (
          <View className='mr-corrections'>
            <Text className='mr-sub'>更正记录</Text>
            {v.minutes.corrections.map((x, i) => (
              <Figures key={i} className='mr-correction' text={`${momentText(x.at)} ${x.byName} 更正了“${MINUTES_FIELD_LABELS[x.field]}”：${x.reason}`} />
            ))}
          </View>
        ) : null}
      </View>
      <View className='mr-actions mr-noprint'>
        {v.mayEdit ? (
          <Button className='mr-edit' onClick={() => Taro.navigateTo({ url: `/minutes/edit/index?id=${encodeURIComponent(sessionId)}` })}>
            {v.minutes.lockedAt ? '更正记录' : '填写记录'}
          </Button>
        ) : null}
        {process.env.TARO_ENV === 'h5' ? (
          <Button className='mr-print' onClick={print}>
            打印
          </Button>
        ) : null}
      </View>
    </View>
  )
}

export default withPageBoundary(MinutesPage)
