/**
 * The web version's QR reader (src/pages/checkin/qrDecoder.ts): the
 * browser's BarcodeDetector when it reads QR codes, jsQR otherwise; jsQR
 * reads a real check-in code drawn with the same encoder as the 签到大屏.
 */
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { createQrDecoder } from '../../src/pages/checkin/qrDecoder'
import { parseCheckinToken } from '../../src/core/checkin/qr-slot'
import { testNow } from '../helpers/clock'
import { qrRgba } from '../helpers/qr-image'

const SECRET = 'test-secret-0123456789abcdef'
const g = globalThis as { BarcodeDetector?: unknown }

function fakeDetector(formats: string[] | (() => Promise<string[]>), found: Array<{ rawValue: string }>) {
  const seen: unknown[] = []
  class FakeDetector {
    static getSupportedFormats = typeof formats === 'function' ? formats : async () => formats
    options: unknown
    constructor(options: unknown) {
      this.options = options
    }
    async detect(source: unknown) {
      seen.push({ source, options: this.options })
      return found
    }
  }
  return { FakeDetector, seen }
}

afterEach(() => {
  delete g.BarcodeDetector
})

describe('createQrDecoder', () => {
  it('uses the browser BarcodeDetector when it reads QR codes', async () => {
    const { FakeDetector, seen } = fakeDetector(['ean_13', 'qr_code'], [{ rawValue: 'ci.hello' }])
    g.BarcodeDetector = FakeDetector
    const decoder = await createQrDecoder()
    expect(decoder.kind).toBe('native')
    const frame = qrRgba('anything', 120, 120, 3)
    await expect(decoder.decode(frame)).resolves.toBe('ci.hello')
    expect(seen).toEqual([{ source: frame, options: { formats: ['qr_code'] } }])
  })

  it('says nothing was found when the detector sees no code', async () => {
    g.BarcodeDetector = fakeDetector(['qr_code'], []).FakeDetector
    const decoder = await createQrDecoder()
    await expect(decoder.decode(qrRgba('x', 60, 60, 2))).resolves.toBeNull()
  })

  it('falls back to jsQR where the detector has no QR format (desktop Chrome on Linux) or cannot say', async () => {
    g.BarcodeDetector = fakeDetector([], [{ rawValue: 'never' }]).FakeDetector
    expect((await createQrDecoder()).kind).toBe('jsqr')
    g.BarcodeDetector = fakeDetector(() => Promise.reject(new Error('no')), [{ rawValue: 'never' }]).FakeDetector
    expect((await createQrDecoder()).kind).toBe('jsqr')
  })

  it('without a BarcodeDetector, jsQR reads the check-in token off a real QR image', async () => {
    expect(g.BarcodeDetector).toBeUndefined()
    const { token } = issueCheckinToken(SECRET, 'ses_camera_1', testNow())
    const decoder = await createQrDecoder()
    expect(decoder.kind).toBe('jsqr')
    // As the camera would give it: the code in the middle of a larger light frame.
    const text = await decoder.decode(qrRgba(token, 480, 480, 6))
    expect(text).toBe(token)
    expect(parseCheckinToken(text)).toMatchObject({ sessionId: 'ses_camera_1' })
  })

  it('jsQR answers null for a frame with no code in it', async () => {
    const decoder = await createQrDecoder()
    const blank = { data: new Uint8ClampedArray(200 * 200 * 4).fill(255), width: 200, height: 200 }
    await expect(decoder.decode(blank)).resolves.toBeNull()
  })
})
