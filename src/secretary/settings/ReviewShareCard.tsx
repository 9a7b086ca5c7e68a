import { Text } from '@tarojs/components'
import { EXCELLENT_SHARE_MAX, EXCELLENT_SHARE_MIN, excellentLimit } from '../../core/vocab/review'
import { Field } from '../schedule/fields'
import { Card, Stepper, useDraft, type GroupProps } from './parts'

const pct = (share: number) => Math.round(share * 100)

/**
 * 民主评议党员: the most that may be graded 优秀, as a share of those graded,
 * on each member's sheet and in the committee's outcomes. A review keeps the
 * share in force when it was opened.
 */
export default function ReviewShareCard({ stored, act, savedAt, scope, onSave }: GroupProps & { stored: number; onSave: (share: number) => void }) {
  const [draft, setDraft] = useDraft(() => pct(stored), pct(stored), scope)
  return (
    <Card title='民主评议' className='st-review' act={act} savedAt={savedAt} onSave={() => onSave(draft / 100)}
      hint='评为“优秀”的人数不超过参评人数的一定比例，至少可评 1 位。已经开启的评议按开启时的比例。'>
      <Field label='“优秀”最多占参评人数的百分之几'>
        <Stepper className='st-review-share' value={draft} min={pct(EXCELLENT_SHARE_MIN)} max={pct(EXCELLENT_SHARE_MAX)} onChange={setDraft} />
      </Field>
      <Text className='form-hint'>例如 20 人参评，最多 {excellentLimit(20, draft / 100)} 位“优秀”。</Text>
    </Card>
  )
}
