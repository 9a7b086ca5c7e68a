import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { NOTE_MAX_CHARS, WORD_COUNT_RULE_ZH, countNoteWords } from '../../core/words'

interface Props {
  content: string
}

/** The running word count under the text, its rule on tap, and the warning at the length limit. */
export default function WordCount({ content }: Props) {
  const [showRule, setShowRule] = useState(false)
  const words = countNoteWords(content)
  const chars = content.length
  const full = chars >= NOTE_MAX_CHARS
  return (
    <>
      <View className='note-word-count' data-words={words} data-chars={chars} onClick={() => setShowRule((s) => !s)}>
        <Text className='note-word-count-text'>已写 {words.toLocaleString()} 字</Text>
        <Text className='note-word-count-how'>{showRule ? '收起' : '怎么算字数？'}</Text>
      </View>
      {showRule ? <Text className='note-word-rule'>{WORD_COUNT_RULE_ZH}</Text> : null}
      {full ? (
        <Text className='note-too-long'>
          已达到一篇笔记的上限（{NOTE_MAX_CHARS} 个字符），再输入的内容不会加进来。已写的内容都在，可以先保存，再另写一篇接着记。
        </Text>
      ) : null}
    </>
  )
}
