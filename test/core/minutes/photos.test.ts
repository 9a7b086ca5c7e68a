import { PHOTO_LIMITS, photoRefusal, sniffPhotoType } from '../../../src/core/minutes/photos'
import { tinyPng } from '../../helpers/photos'

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
