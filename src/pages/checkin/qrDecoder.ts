/**
 * Reads a QR code out of one camera frame, web version. The browser's own
 * BarcodeDetector is fast and costs no download, but few browsers have it
 * (Chrome on Android and macOS; not iOS Safari, not desktop Chrome on Linux
 * or Windows); elsewhere jsQR decodes the pixels. jsQR is loaded with a
 * dynamic import: a chunk of its own, never part of the app's or the check-in
 * page's first load.
 */

/** One frame's pixels, RGBA, as a canvas's getImageData gives them. */
export interface Frame {
  data: Uint8ClampedArray<ArrayBuffer>
  width: number
  height: number
}

export interface QrDecoder {
  /** Which reader is at work: told in tests, never to the member. */
  readonly kind: 'native' | 'jsqr'
  /** The text of the QR code in the frame, or null when there is none readable. */
  decode(frame: Frame): Promise<string | null>
}

interface DetectedBarcode {
  rawValue?: string
}

interface BarcodeDetectorLike {
  detect(source: unknown): Promise<DetectedBarcode[]>
}

interface BarcodeDetectorClass {
  new (options?: { formats?: string[] }): BarcodeDetectorLike
  getSupportedFormats?: () => Promise<string[]>
}

type JsQr = (data: Uint8ClampedArray, width: number, height: number, options?: { inversionAttempts?: string }) => { data: string } | null

function nativeClass(): BarcodeDetectorClass | null {
  const g = globalThis as unknown as { BarcodeDetector?: BarcodeDetectorClass }
  return typeof g.BarcodeDetector === 'function' ? g.BarcodeDetector : null
}

/** The ImageData the detector wants, where the environment has one; otherwise the frame itself. */
function asImageSource(frame: Frame): unknown {
  const Data = (globalThis as { ImageData?: typeof ImageData }).ImageData
  if (typeof Data !== 'function') return frame
  return frame instanceof Data ? frame : new Data(frame.data, frame.width, frame.height)
}

async function nativeDecoder(): Promise<QrDecoder | null> {
  const Detector = nativeClass()
  if (!Detector) return null
  try {
    // Desktop Chrome on Linux and Windows has the class but no formats at all.
    const formats = typeof Detector.getSupportedFormats === 'function' ? await Detector.getSupportedFormats() : []
    if (!formats.includes('qr_code')) return null
    const detector = new Detector({ formats: ['qr_code'] })
    return {
      kind: 'native',
      async decode(frame) {
        const found = await detector.detect(asImageSource(frame))
        const hit = found.find((b) => typeof b.rawValue === 'string' && b.rawValue.length > 0)
        return hit ? (hit.rawValue as string) : null
      }
    }
  } catch {
    return null
  }
}

/** jsqr is CommonJS without __esModule: depending on the bundler the function sits one or two `default`s deep. */
function unwrap(mod: unknown): JsQr {
  let m = mod
  for (let i = 0; i < 3 && typeof m !== 'function'; i++) m = (m as { default?: unknown } | null)?.default
  if (typeof m !== 'function') throw new Error('jsqr did not load')
  return m as JsQr
}

async function jsqrDecoder(): Promise<QrDecoder> {
  // Prefetched at idle once the check-in page is open, so a member who opened it online can still scan
  // at a venue with no signal (the scan then waits in the offline queue, as on the mini-program).
  const jsQR = unwrap(await import(/* webpackChunkName: "jsqr", webpackPrefetch: true */ 'jsqr'))
  return {
    kind: 'jsqr',
    async decode(frame) {
      // A projected code is dark on light: skipping the inverted pass halves the work per frame on a weak phone.
      const hit = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })
      return hit && hit.data ? hit.data : null
    }
  }
}

/** The best reader this browser offers. Rejects only when jsQR itself cannot be fetched (offline, first time). */
export async function createQrDecoder(): Promise<QrDecoder> {
  return (await nativeDecoder()) ?? jsqrDecoder()
}
