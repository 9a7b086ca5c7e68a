import { Picker, View } from '@tarojs/components'
import type { MemberSummary } from '../../api/org'
import type { SessionAudience } from '../../api/sessions'
import StatusBlock from '../../components/StatusBlock'
import { AUDIENCE_LABELS } from '../../components/audience'
import MemberPicker from '../components/MemberPicker'
import { Chips, Field } from './fields'
import type { ScheduleForm } from './useScheduleForm'

const AUDIENCE_KINDS: SessionAudience['kind'][] = ['branch', 'committee', 'group', 'list']

/** Who is expected (应到): the branch, the committee, one 党小组, or members ticked by name. */
export default function AudienceSection({ form }: { form: ScheduleForm }) {
  const { f, set, setAudience, groups, people } = form
  const groupIndex = Math.max(0, groups.findIndex((g) => g._id === f.groupId))
  return (
    <>
      <Field label='参加人员'>
        <Chips
          className='schedule-audience'
          value={f.audience}
          onChange={setAudience}
          // No 党小组 in the branch: the choice would lead nowhere, so it is not offered.
          options={AUDIENCE_KINDS.filter((k) => k !== 'group' || groups.length > 0).map((k) => ({
            value: k,
            label: k === 'group' ? '一个党小组' : AUDIENCE_LABELS[k]
          }))}
        />
      </Field>
      {f.audience === 'group' && groups.length > 0 ? (
        <Field label='哪个党小组'>
          <Picker
            mode='selector'
            range={groups.map((g) => g.name)}
            value={groupIndex}
            onChange={(e) => set('groupId', groups[Number(e.detail.value)]._id)}
          >
            <View className='form-picker schedule-group' data-value={f.groupId}>
              {groups.find((g) => g._id === f.groupId)?.name ?? '请选择'}
            </View>
          </Picker>
        </Field>
      ) : null}
      {f.audience === 'list' ? (
        <View className='form-field'>
          <StatusBlock loading={people.loading} error={people.error} onRetry={people.retry} />
          {people.data ? (
            <MemberPicker
              items={people.data.map((m: MemberSummary) => ({ id: m._id, name: m.name }))}
              selected={f.memberIds}
              onChange={(ids) => set('memberIds', ids)}
            />
          ) : null}
        </View>
      ) : null}
    </>
  )
}
