/**
 * A QR code as pixels, for feeding a reader the way a camera would: drawn
 * with the project's own encoder (uqr, as the 签到大屏 draws it), then as an
 * RGBA buffer (what a canvas's getImageData gives) or as an uncompressed
 * Y4M video (what Chromium's fake camera plays in a loop).
 */
import { encode } from 'uqr'

export interface Rgba {
  data: Uint8ClampedArray<ArrayBuffer>
  width: number
  height: number
}

/** Grey levels (0 dark, 255 light) of a width×height picture: the code centred, `module` px per module, the rest white. */
export function qrLuma(text: string, width: number, height: number, module: number): Uint8Array {
  const qr = encode(text, { ecc: 'M', border: 2 })
  const side = qr.size * module
  if (side > width || side > height) throw new Error(`a ${qr.size}-module code at ${module} px does not fit ${width}×${height}`)
  const x0 = Math.floor((width - side) / 2)
  const y0 = Math.floor((height - side) / 2)
  const luma = new Uint8Array(width * height).fill(255)
  for (let y = 0; y < side; y++) {
    const row = qr.data[Math.floor(y / module)]
    for (let x = 0; x < side; x++) if (row[Math.floor(x / module)]) luma[(y0 + y) * width + x0 + x] = 0
  }
  return luma
}

export function qrRgba(text: string, width: number, height: number, module: number): Rgba {
  const luma = qrLuma(text, width, height, module)
  const data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < luma.length; i++) {
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = luma[i]
    data[i * 4 + 3] = 255
  }
  return { data, width, height }
}

/**
 * A few identical frames of YUV4MPEG2, 4:2:0: the Y plane is the picture,
 * U and V a flat 128 (no colour). Width and height must be even.
 */
export function qrY4m(text: string, width: number, height: number, module: number, frames = 5): Buffer {
  if (width % 2 || height % 2) throw new Error('4:2:0 needs an even width and height')
  const luma = qrLuma(text, width, height, module)
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128)
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), Buffer.from(luma), chroma])
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`, 'ascii')
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)])
}
