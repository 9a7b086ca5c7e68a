import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { MinutesView } from '../../api/minutes'
import { materialsText, peopleText } from '../../core/minutes/words'
import Row from './Row'

/** 研讨主题 and 发言人: a 专题学习研讨's plan, printed with its record. */
export function SeminarPlanRows({ v }: { v: MinutesView }) {
  if (v.session.type !== 'seminar') return null
  return (
    <>
      <Row label='研讨主题' name='topic'>
        <Text>{v.minutes.content.topic || '（未填写）'}</Text>
      </Row>
      <Row label='发言人' name='speakers'>
        <Text className='mr-names'>{v.speakers.length ? peopleText(v.speakers.map((s) => s.name)) : '（未安排）'}</Text>
      </Row>
    </>
  )
}

/** The 学习材料 studied, by title; nothing when none was linked. */
export function MaterialsRow({ v }: { v: MinutesView }) {
  if (v.materials.length === 0) return null
  return (
    <Row label='学习材料' name='materials'>
      <Text>{materialsText(v.materials.map((m) => m.title))}</Text>
    </Row>
  )
}

function open(noteId: string, officer: boolean) {
  const url = officer ? `/secretary/notes/read/index?id=${encodeURIComponent(noteId)}` : `/pages/note/index?id=${encodeURIComponent(noteId)}`
  Taro.navigateTo({ url }).catch(() => undefined)
}

/**
 * 交流材料 of a seminar: officers see every expected member, handed in or
 * not; a member sees their own. Each handed-in note opens for reading
 * (on paper the title and 字数 stand for it).
 */
export function ExchangeRows({ v }: { v: MinutesView }) {
  if (v.session.type !== 'seminar') return null
  const handed = v.exchange.filter((r) => r.notes.length > 0).length
  return (
    <Row label='交流材料' name='exchange'>
      {v.mayEdit ? <Text className='mr-exchange-count'>{`已提交 ${handed} 人，未提交 ${v.exchange.length - handed} 人`}</Text> : null}
      {v.exchange.map((r) => (
        <View key={r.memberId} className='mr-exchange-row' data-member-id={r.memberId} data-handed={r.notes.length > 0 ? 'yes' : 'no'}>
          <Text className='mr-exchange-name'>{r.name}：</Text>
          {r.notes.length === 0 ? <Text className='mr-exchange-none'>未提交</Text> : null}
          {r.notes.map((n) => (
            <Text key={n._id} className='mr-exchange-note' data-note-id={n._id} onClick={() => open(n._id, v.mayEdit)}>
              {`《${n.title}》${n.words.toLocaleString()} 字 `}
            </Text>
          ))}
        </View>
      ))}
    </Row>
  )
}
