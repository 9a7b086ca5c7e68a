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
