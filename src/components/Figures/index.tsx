import { Text } from '@tarojs/components'
import { splitFigures } from '../figures'

/**
 * A sentence whose figures never break across lines ("还需写 8,900 字"):
 * the text reads the same, only the figures are held together. Use it for
 * sentences built from numbers; a lone figure can take className 'num' itself.
 */
export default function Figures({ text, className }: { text: string; className?: string }) {
  const runs = splitFigures(text)
  return (
    <Text className={className}>
      {runs.map((run, i) =>
        run.figure ? (
          <Text key={i} className='num'>
            {run.text}
          </Text>
        ) : (
          run.text
        )
      )}
    </Text>
  )
}
