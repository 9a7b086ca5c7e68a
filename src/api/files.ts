/**
 * Files between the member's device and the functions, web version: a
 * chosen roster travels inline as base64 (the local server takes up to
 * 4 MB on /api/org), and an export opens as a download from the server's
 * short-lived link. The mini-program uses files.weapp.ts.
 */
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
