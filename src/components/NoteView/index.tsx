import { Text, View } from '@tarojs/components'
import type { ExchangeLink, Note } from '../../api/notes'
import { copyDates, copySubject } from '../../core/originality/engine'
import { copiedPassages, noteSegments } from '../../core/originality/segments'
import { formatShanghai } from '../../core/period'
import { NOTE_KIND_LABELS, REVIEW_STATUS_LABELS } from '../../core/vocab/note'
import './index.scss'

/**
 * One note as text: title, facts, the body as plain text (never HTML: a
 * `<script>` typed in a note shows as those characters), the review and the
 * matches found (their date only, never another member's text).
 */
export default function NoteView({ note }: { note: Note & { exchange?: ExchangeLink | null } }) {
  const status = note.review?.status ?? 'pending'
  const segments = noteSegments(note.content, note.matches ?? [], note.excerpts ?? [])
  const matches = (note.matches ?? []).map((m) => ({ at: m.at, own: m.own, passages: m.passages }))
  const copied = copiedPassages(note.content, matches)
  // Notes saved before passages were recorded: one line for them all, with what was not credited.
  const legacy = matches.filter((m) => !m.passages || m.passages.length === 0)
  const legacyWords = Math.max(0, note.words - note.creditedWords - copied.reduce((sum, p) => sum + p.words, 0))
  return (
    <View className='note-view' data-note-id={note._id} data-version={note.version}>
      <View className='note-view-head'>
        <Text className='note-view-kind'>{NOTE_KIND_LABELS[note.kind] ?? '笔记'}</Text>
        <Text className={`note-view-status note-status-${status}`} data-status={status}>
          {REVIEW_STATUS_LABELS[status] ?? ''}
        </Text>
      </View>
      <Text className='note-view-title'>{note.title}</Text>
      {note.source ? <Text className='note-view-line'>学习材料：{note.source}</Text> : null}
      {note.exchange ? <Text className='note-view-line note-view-exchange'>交流材料：{note.exchange.title}</Text> : null}
      <Text className='note-view-line'>
        {formatShanghai(note.createdAt, 'YYYY年M月D日')}
        {note.updatedAt !== note.createdAt ? `，${formatShanghai(note.updatedAt, 'M月D日 HH:mm')} 修改` : ''}
      </Text>
      <Text className='note-view-line note-view-words' data-words={note.words} data-credited={note.creditedWords}>
        {note.words.toLocaleString()} 字，计入 {note.creditedWords.toLocaleString()} 字
      </Text>
      {note.review?.comment ? (
        <View className={`note-view-review note-view-review-${status}`}>
          <Text className='note-view-review-label'>书记意见</Text>
          <Text className='note-view-review-text'>{note.review.comment}</Text>
        </View>
      ) : null}
      {copied.length > 0 || legacy.length > 0 ? (
        <View className='note-view-matches'>
          <Text className='note-view-review-label'>与已有笔记重复的内容（不计入字数）</Text>
          {copied.map((p) => (
            <Text key={p.start} className='note-view-match' data-words={p.words} data-notes={p.notes}>
              「{p.preview}」约 {p.words.toLocaleString()} 字，{p.text}
            </Text>
          ))}
          {legacy.length > 0 ? (
            <Text className='note-view-match' data-words={legacyWords} data-notes={legacy.length}>
              约 {legacyWords.toLocaleString()} 字，与{copySubject(legacy)}（{copyDates(legacy.map((m) => m.at))}）重复
            </Text>
          ) : null}
        </View>
      ) : null}
      {note.excerptWords ? (
        <Text className='note-view-line note-view-excerpt-words' data-excerpt-words={note.excerptWords}>
          其中摘录学习材料 {note.excerptWords.toLocaleString()} 字（计入），自己撰写 {Math.max(0, note.creditedWords - note.excerptWords).toLocaleString()} 字
        </Text>
      ) : null}
      <Text className='note-view-content' userSelect>
        {segments.map((seg, i) =>
          seg.kind === 'own' ? (
            <Text key={i}>{seg.text}</Text>
          ) : (
            <Text key={i} className={`note-passage note-passage-${seg.kind}`} data-label={seg.label}>
              <Text className='note-passage-label'>{seg.label}</Text>
              {seg.text}
            </Text>
          )
        )}
      </Text>
    </View>
  )
}
