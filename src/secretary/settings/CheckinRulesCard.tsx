import { Field, SwitchRow } from '../schedule/fields'
import { Card, Stepper, useDraft, type GroupProps } from './parts'

export interface CheckinRules {
  requireLocation: boolean
  exemptAge: number | null
}

/**
 * 签到与免考核: whether QR check-in also checks the venue's location, and the
 * age from which members are left out of quotas, rankings and warnings.
 * Both default to the modest choice (no location, nobody by age).
 */
export default function CheckinRulesCard({ stored, act, savedAt, scope, onSave }: GroupProps & { stored: CheckinRules; onSave: (r: CheckinRules) => void }) {
  const [draft, setDraft] = useDraft(() => stored, stored, scope)
  return (
    <Card title='签到与免考核' className='st-checkin-rules' act={act} savedAt={savedAt} onSave={() => onSave(draft)}
      hint='默认不要求定位：签到码每 30 秒更换，已经能防止转发截图；定位要党员授权，对老同志是负担。'>
      <SwitchRow className='st-require-location' label='扫码签到时核对会场位置' hint='打开后，党员扫码时需要允许定位，离会场太远不能签到（书记可以代签）。' checked={draft.requireLocation}
        onChange={(requireLocation) => setDraft({ ...draft, requireLocation })} />
      <SwitchRow className='st-exempt-age-on' label='年满一定年龄不计定额和预警' hint='这些同志仍可参加活动、写笔记，只是不计入定额、排名和预警。' checked={draft.exemptAge !== null}
        onChange={(on) => setDraft({ ...draft, exemptAge: on ? 80 : null })} />
      {draft.exemptAge !== null ? (
        <Field label='年满几周岁'>
          <Stepper className='st-exempt-age' value={draft.exemptAge} min={50} max={120} onChange={(exemptAge) => setDraft({ ...draft, exemptAge })} />
        </Field>
      ) : null}
    </Card>
  )
}
