import { Text, View } from '@tarojs/components'
import { listMaterials } from '../../api/materials'
import { useRequest } from '../../hooks/useRequest'

/**
 * 学习材料 studied at the session, picked from the branch's (its own and
 * those of the orgs above it) with one tap each. A linked material removed
 * since drops out on the next change, since the server refuses it.
 */
export default function MaterialPicker({ branchId, value, onChange, max }: { branchId: string; value: string[]; onChange: (ids: string[]) => void; max: number }) {
  const req = useRequest(`minutes-materials:${branchId}`, () => listMaterials(branchId))
  const items = (req.data?.items ?? []).filter((m) => m.status !== 'removing')
  const toggle = (id: string) => {
    const known = value.filter((v) => items.some((m) => m._id === v))
    if (known.includes(id)) onChange(known.filter((v) => v !== id))
    else if (known.length < max) onChange([...known, id])
  }
  return (
    <View className='form-field'>
      <Text className='form-label'>学习材料（点选，可多选）</Text>
      {req.error ? <Text className='form-hint'>学习材料暂时没有读到，可以稍后再选。</Text> : null}
      {req.data && items.length === 0 ? <Text className='form-hint'>支部还没有学习材料，可以在“学习材料”里添加。</Text> : null}
      <View className='form-chips mne-materials'>
        {items.map((m) => (
          <View
            key={m._id}
            className={`form-chip mne-material${value.includes(m._id) ? ' form-chip--on' : ''}`}
            data-material-id={m._id}
            role='checkbox'
            aria-checked={value.includes(m._id)}
            onClick={() => toggle(m._id)}
          >
            《{m.title}》
          </View>
        ))}
      </View>
    </View>
  )
}
