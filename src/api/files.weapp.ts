/**
 * Files between the phone and the functions, mini-program: a roster chosen
 * from a WeChat chat (chooseMessageFile) goes to cloud storage and the
 * function reads it by file id; an export downloads from its temporary link
 * and opens in WeChat's document viewer, from where it can be forwarded.
 */
import Taro from '@tarojs/taro'

export interface PickedFile {
  name: string
  content?: string
  fileId?: string
}

export interface PickedPhoto {
  content?: string
  fileId?: string
}

export const PHOTO_LONGEST_SIDE = 1280

export function photoFromFile(): Promise<PickedPhoto> {
  return Promise.reject(new Error('not used in the mini-program'))
}

/**
 * A meeting photo from the album or the camera: WeChat's compressed copy,
 * compressed again to about PHOTO_LONGEST_SIDE wide (a phone camera's
 * "compressed" can still be several MB), then uploaded to minutes-uploads/,
 * the one folder the function takes a photo from. Null when the officer
 * cancels.
 */
export async function pickPhoto(): Promise<PickedPhoto | null> {
  let path: string
  try {
    const picked = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'] })
    const file = picked.tempFiles[0]
    if (!file) return null
    path = file.tempFilePath
  } catch (e) {
    if (/cancel/i.test(String((e as { errMsg?: string })?.errMsg ?? e))) return null
    throw e
  }
  try {
    path = (await Taro.compressImage({ src: path, quality: 75, compressedWidth: PHOTO_LONGEST_SIDE })).tempFilePath
  } catch {
    // An old WeChat without compressedWidth, or a photo it cannot re-encode: the compressed pick is sent as it is.
  }
  const cloudPath = `minutes-uploads/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}.jpg`
  const { fileID } = await Taro.cloud.uploadFile({ cloudPath, filePath: path })
  return { fileId: fileID }
}

export function readAsBase64(): Promise<string> {
  return Promise.reject(new Error('not used in the mini-program'))
}

export async function pickRosterFile(): Promise<PickedFile | null> {
  const picked = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx', 'csv'] })
  const file = picked.tempFiles[0]
  if (!file) return null
  const cloudPath = `rosters/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${file.name.replace(/[^\w.\u4e00-\u9fa5-]/g, '_')}`
  const { fileID } = await Taro.cloud.uploadFile({ cloudPath, filePath: file.path })
  return { name: file.name, fileId: fileID }
}

export async function openFile(url: string): Promise<void> {
  const { tempFilePath } = await Taro.downloadFile({ url })
  await Taro.openDocument({ filePath: tempFilePath, fileType: 'xlsx', showMenu: true })
}
