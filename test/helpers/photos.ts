/** Image bytes for the photo tests, built here so no test rests on a fixture file. */
import { deflateSync } from 'zlib'

/** A real 1×1 PNG, built here so the test does not rest on a fixture file. */
export function tinyPng(): Uint8Array {
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

/** JPEG's signature and end marker around filler: enough for the server, which judges by the signature. */
export function fakeJpeg(size = 2048): Buffer {
  const b = Buffer.alloc(size, 0x11)
  b.set([0xff, 0xd8, 0xff, 0xe0], 0)
  b.set([0xff, 0xd9], size - 2)
  return b
}
