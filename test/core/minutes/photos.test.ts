import { deflateSync } from 'zlib'
import { PHOTO_LIMITS, photoRefusal, sniffPhotoType } from '../../../src/core/minutes/photos'

/** A real 1×1 PNG, built here so the test does not rest on a fixture file. */
function tinyPng(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (b: Buffer) => {
    let c = 0xffffffff
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 200, 16, 46]))),
    chunk('IEND', Buffer.alloc(0))
  ])
}

describe('meeting photos: optional, few, small, and really images', () => {
  it('knows JPEG, PNG and WebP by their bytes, not by a name', () => {
    expect(sniffPhotoType(tinyPng())).toBe('png')
    expect(sniffPhotoType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg')
    expect(sniffPhotoType(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('webp')
    expect(sniffPhotoType(Buffer.from('GIF89a'))).toBeNull()
    expect(sniffPhotoType(Buffer.from('%PDF-1.7'))).toBeNull()
    expect(sniffPhotoType(new Uint8Array())).toBeNull()
  })

  it('refuses with a plain reason: the wrong type, empty, too large, or past the count', () => {
    expect(photoRefusal(tinyPng(), 0)).toBeNull()
    expect(photoRefusal(Buffer.from('<svg onload=alert(1)>'), 0)).toBe('只能添加 JPG、PNG 或 WebP 格式的照片')
    expect(photoRefusal(new Uint8Array(), 0)).toBe('照片是空的，请重新选择')
    const big = new Uint8Array(PHOTO_LIMITS.maxBytes + 1)
    big.set([0xff, 0xd8, 0xff])
    expect(photoRefusal(big, 0)).toBe('照片太大（超过 2 MB），请选择较小的照片')
    expect(photoRefusal(tinyPng(), PHOTO_LIMITS.perSession)).toBe('每场活动最多保存 6 张照片，请先删掉一张再添加')
    expect(photoRefusal(tinyPng(), PHOTO_LIMITS.perSession - 1)).toBeNull()
  })
})
