import { useState } from 'react'
import { Button, Image, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { photoFromFile, pickPhoto, type PickedPhoto } from '../../api/files'
import { addMinutesPhoto, removeMinutesPhoto, type MinutesPhotoView, type MinutesView } from '../../api/minutes'
import Figures from '../../components/Figures'
import { momentText } from '../../components/format'
import { PHOTO_LIMITS } from '../../core/minutes/photos'
import { MINUTES_LIMITS } from '../../core/minutes/record'
import { useAction } from '../../hooks/useAction'
import { confirmDanger } from '../../secretary/lib/confirm'
import './Photos.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'
const OPTIONAL = `照片不是必须的，不加也可以。需要时最多加 ${PHOTO_LIMITS.perSession} 张，手机会先压缩再上传。`

/** Bigger on the phone: WeChat's viewer pages through all of them; the browser opens the one tapped. */
function preview(photos: MinutesPhotoView[], current: string) {
  if (IS_H5) window.open(current, '_blank', 'noopener')
  else void Taro.previewImage({ urls: photos.map((p) => p.url), current }).catch(() => undefined)
}

function Grid({ photos, onRemove, busy }: { photos: MinutesPhotoView[]; onRemove?: (p: MinutesPhotoView) => void; busy?: boolean }) {
  return (
    <View className='mph-grid'>
      {photos.map((p, i) => (
        <View key={p.id} className='mph-item' data-photo-id={p.id}>
          <Image className='mph-photo' src={p.url} mode='aspectFill' onClick={() => preview(photos, p.url)} ariaLabel={`会议照片 ${i + 1}`} />
          {p.afterLock ? <Text className='mph-after'>锁定后补充</Text> : null}
          {onRemove ? (
            <Button className='mph-remove' disabled={busy || undefined} onClick={() => onRemove(p)}>
              删除
            </Button>
          ) : null}
        </View>
      ))}
    </View>
  )
}

/** The photos on the printable record; nothing at all when there are none (they are optional). */
export function MinutesPhotosRead({ view }: { view: Pick<MinutesView, 'photos' | 'photoRemovals'> }) {
  if (view.photos.length === 0 && view.photoRemovals.length === 0) return null
  return (
    <View className='mph-read'>
      <Text className='mph-label'>会议照片</Text>
      <Grid photos={view.photos} />
      {view.photoRemovals.map((r, i) => (
        <Figures key={i} className='mph-removal' text={`${momentText(r.at)} ${r.byName} 在记录锁定后删除了一张照片：${r.reason}`} />
      ))}
    </View>
  )
}

/** The web version's picker: a real <input type="file"> behind a big labelled button. */
function WebPick({ onFile, disabled }: { onFile: (f: File) => void; disabled: boolean }) {
  return (
    <label className={`mph-add mph-pick${disabled ? ' mph-add--off' : ''}`}>
      添加照片
      <input
        className='mph-file'
        type='file'
        accept='image/jpeg,image/png,image/webp,image/*'
        disabled={disabled}
        onChange={(e) => {
          const input = e.target as HTMLInputElement
          const file = input.files?.[0]
          // Cleared so choosing the same photo again (after a failure) fires again.
          input.value = ''
          if (file) onFile(file)
        }}
      />
    </label>
  )
}

/**
 * Officers add or remove a meeting's photos; each change is saved at once,
 * apart from the record's text. Once the record is locked a removal needs a
 * reason, which the record then shows.
 */
export function MinutesPhotosEdit({ view, sessionId }: { view: MinutesView; sessionId: string }) {
  const locked = view.minutes.lockedAt !== null
  const [photos, setPhotos] = useState(view.photos)
  const [reason, setReason] = useState('')
  const [done, setDone] = useState('')
  const act = useAction()
  const full = photos.length >= PHOTO_LIMITS.perSession

  const send = (get: () => Promise<PickedPhoto | null>) => {
    setDone('')
    void act.run(async () => {
      const photo = await get()
      if (!photo) return
      const out = await addMinutesPhoto(sessionId, photo)
      setPhotos((ps) => [...ps, out.photo])
      setDone(locked ? '照片已添加，记录上会注明“锁定后补充”' : '照片已添加')
    }, '照片没有添加成功，请稍后再试')
  }

  const remove = async (p: MinutesPhotoView) => {
    setDone('')
    if (locked && !reason.trim()) {
      act.setMessage('记录已经锁定，删除照片请先在下面写明原因')
      return
    }
    const sure = await confirmDanger({
      title: '删除这张照片？',
      content: locked ? '删除后照片不能找回，记录上会留下删除的时间和原因。' : '删除后照片不能找回，需要时可以重新添加。',
      confirmText: '删除',
      cancelText: '不删除'
    })
    if (!sure) return
    void act.run(async () => {
      await removeMinutesPhoto(sessionId, p.id, locked ? reason.trim() : undefined)
      setPhotos((ps) => ps.filter((x) => x.id !== p.id))
      setDone('照片已删除')
    }, '照片没有删除成功，请稍后再试')
  }

  return (
    <View className='mph-edit'>
      <Text className='mph-label'>会议照片（选填）</Text>
      <Text className='mph-hint'>{OPTIONAL}</Text>
      {photos.length > 0 ? <Grid photos={photos} onRemove={(p) => void remove(p)} busy={act.busy} /> : null}
      {locked && photos.length > 0 ? (
        <Input className='mph-reason' value={reason} maxlength={MINUTES_LIMITS.reason} placeholder='删除照片的原因（记录已锁定，必填）' onInput={(e) => setReason(e.detail.value)} />
      ) : null}
      {act.message ? <Text className='mph-error'>{act.message}</Text> : null}
      {done ? <Text className='mph-done'>{done}</Text> : null}
      {full ? (
        <Text className='mph-hint mph-full'>已有 {PHOTO_LIMITS.perSession} 张，要换一张请先删掉一张。</Text>
      ) : IS_H5 ? (
        <WebPick disabled={act.busy} onFile={(f) => send(() => photoFromFile(f))} />
      ) : (
        <Button className='mph-add' loading={act.busy || undefined} disabled={act.busy || undefined} onClick={() => send(pickPhoto)}>
          添加照片
        </Button>
      )}
      {act.busy && IS_H5 ? <Text className='mph-hint mph-busy'>正在压缩并上传…</Text> : null}
    </View>
  )
}
