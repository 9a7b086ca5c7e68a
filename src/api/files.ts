/**
 * Files between the member's device and the functions, web version: a
 * chosen roster or meeting photo travels inline as base64 (the local server
 * takes up to 4 MB on /api/org and /api/session), and an export opens as a
 * download from the server's short-lived link. The mini-program uses
 * files.weapp.ts.
 */
import { photoRefusal } from '../core/minutes/photos'
import { ApiError } from './error'

export interface PickedFile {
  name: string
  /** Web: the bytes, base64. */
  content?: string
  /** Mini-program: the cloud storage file id after upload. */
  fileId?: string
}

/** Base64 of a browser File, without the data-URL prefix. */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error ?? new Error('read failed'))
    reader.readAsDataURL(file)
  })
}

/** The web version picks files with an <input type="file"> in the page; nothing to do here. */
export async function pickRosterFile(): Promise<PickedFile | null> {
  return null
}

/** Starts the download; the browser keeps the file name the server gives. */
export async function openFile(url: string, fileName: string): Promise<void> {
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}

/** A meeting photo ready to send: web, the compressed bytes; mini-program, its upload's cloud file id. */
export interface PickedPhoto {
  content?: string
  fileId?: string
}

/** The longest side after compression: sharp on a phone and on A4, ~150–400 KB as JPEG. */
export const PHOTO_LONGEST_SIDE = 1280
const PHOTO_QUALITY = 0.75

/** The web version picks photos with an <input type="file"> in the page; nothing to do here. */
export async function pickPhoto(): Promise<PickedPhoto | null> {
  return null
}

/**
 * A chosen photo, shrunk on the device before it travels: drawn on a canvas
 * at most PHOTO_LONGEST_SIDE on its longest side and saved as JPEG. What the
 * browser cannot draw (a PDF renamed .jpg) is judged here by the same rule the
 * server applies, so the officer reads the same plain reason without a wait;
 * the server checks again whatever arrives.
 */
export async function photoFromFile(file: Blob): Promise<PickedPhoto> {
  const shrunk = await shrink(file).catch(() => null)
  if (shrunk) return { content: await readAsBase64(shrunk) }
  const refusal = photoRefusal(new Uint8Array(await file.arrayBuffer()), 0)
  // In the server's words and code, so the page shows it as it shows the server's own refusals.
  if (refusal) throw new ApiError('INVALID_INPUT', refusal)
  return { content: await readAsBase64(file) }
}

async function shrink(file: Blob): Promise<Blob | null> {
  const url = URL.createObjectURL(file)
  try {
    const img = new Image()
    img.src = url
    await img.decode()
    const scale = Math.min(1, PHOTO_LONGEST_SIDE / Math.max(img.naturalWidth, img.naturalHeight))
    const canvas = document.createElement('canvas')
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale))
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale))
    const ctx = canvas.getContext('2d')
    if (!ctx) return null
    // JPEG has no transparency: a PNG's clear parts become white, not black.
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, 0, canvas.width, canvas.height)
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height)
    return await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', PHOTO_QUALITY))
  } finally {
    URL.revokeObjectURL(url)
  }
}
