import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { getMinutes } from '../../api/minutes'
import { materialsText } from '../../core/minutes/words'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'

/**
 * A 专题学习研讨 seen by a member it expects: the plan (研讨主题, 发言人,
 * 学习材料) and their 交流材料, handed in as a note linked to the session.
 * Read from the session's record, the one place the plan is kept.
 */
export default function SeminarCard({ sessionId, title }: { sessionId: string; title: string }) {
  const [round] = useRefreshRound()
  const req = useRequest(`seminar:${sessionId}:${round}`, () => getMinutes(sessionId))
  const v = req.data
  if (!v) return null
  const topic = v.minutes.content.topic
  const mine = v.exchange[0]?.notes ?? []
  const write = () =>
    Taro.navigateTo({ url: `/pages/note-edit/index?seminar=${encodeURIComponent(sessionId)}&seminarTitle=${encodeURIComponent(title)}` }).catch(() => undefined)
  const read = () => Taro.navigateTo({ url: `/pages/note/index?id=${encodeURIComponent(mine[0]._id)}` }).catch(() => undefined)
  return (
    <View className='detail-card seminar-card' data-handed={mine.length > 0 ? 'yes' : 'no'}>
      <Text className='detail-card-title'>专题学习研讨</Text>
      <Text className='detail-line seminar-topic'>研讨主题：{topic || '支部还没有定下研讨主题'}</Text>
      {v.speakers.length ? <Text className='detail-line seminar-speakers'>发言人：{v.speakers.map((s) => s.name).join('、')}</Text> : null}
      {v.materials.length ? (
        <Text className='detail-line seminar-materials'>学习材料：{materialsText(v.materials.map((m) => m.title))}</Text>
      ) : null}
      <Text className='detail-line'>
        {mine.length ? `您已提交交流材料《${mine[0].title}》，${mine[0].words.toLocaleString()} 字，同时计入全年笔记。` : '交流材料写好后在这里提交，和学习笔记一样计入全年字数。'}
      </Text>
      {mine.length ? (
        <Button className='seminar-read' onClick={read}>
          查看我的交流材料
        </Button>
      ) : (
        <Button className='seminar-write' onClick={write}>
          提交交流材料
        </Button>
      )}
    </View>
  )
}
