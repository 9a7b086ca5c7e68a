/**
 * Draws the tab bar icons into src/assets/tab/ (committed; rerun after a
 * change here): npx tsx scripts/make-tab-icons.ts
 *
 * WeChat wants PNG tab icons of at most 81×81 px and 40 KB. Each icon is a
 * union of simple shapes given by signed distance (negative inside), so the
 * anti-aliasing is the shape's own distance to each pixel centre and the
 * result is the same on every machine; the PNG is written with node's zlib,
 * so no image package is needed.
 */
import { mkdirSync, writeFileSync } from 'fs'
import { join, resolve } from 'path'
import { deflateSync } from 'zlib'

export const SIZE = 81
const STROKE = 5
export const GREY = '#555555'
export const RED = '#c8102e'

type Shape = (x: number, y: number) => number

const disc = (cx: number, cy: number, r: number): Shape => (x, y) => Math.hypot(x - cx, y - cy) - r

/** Distance to the segment a–b, widened to a stroke with round ends. */
const line = (ax: number, ay: number, bx: number, by: number, width = STROKE): Shape => (x, y) => {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(x - ax - t * dx, y - ay - t * dy) - width / 2
}

/** A filled rectangle from (x0, y0) to (x1, y1) with corner radius r. */
const box = (x0: number, y0: number, x1: number, y1: number, r: number): Shape => (x, y) => {
  const hx = (x1 - x0) / 2 - r
  const hy = (y1 - y0) / 2 - r
  const qx = Math.abs(x - (x0 + x1) / 2) - hx
  const qy = Math.abs(y - (y0 + y1) / 2) - hy
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r
}

/** The outline of a shape, centred on its edge. */
const outline = (shape: Shape, width = STROKE): Shape => (x, y) => Math.abs(shape(x, y)) - width / 2

const union = (...shapes: Shape[]): Shape => (x, y) => Math.min(...shapes.map((s) => s(x, y)))

/** Keeps the part of `shape` above the line y = limit. */
const above = (shape: Shape, limit: number): Shape => (x, y) => Math.max(shape(x, y), y - limit)

/** Keeps the part of `shape` below the line y = limit. */
const below = (shape: Shape, limit: number): Shape => (x, y) => Math.max(shape(x, y), limit - y)

/** The five tabs of src/app.config.ts, drawn on an 81×81 grid, 8 px margin. */
export const ICONS: Record<string, Shape> = {
  // 首页: a house, roof over walls, with a door.
  home: union(
    line(12, 38, 40.5, 13),
    line(40.5, 13, 69, 38),
    // Walls without a top edge: they run up into the roof.
    below(outline(box(20, 24, 61, 68, 5)), 31),
    box(35, 47, 46, 68, 2)
  ),
  // 签到: a tick in a circle.
  checkin: union(outline(disc(40.5, 40.5, 29)), line(27, 41, 36.5, 50.5), line(36.5, 50.5, 55, 31)),
  // 笔记: a notebook with lines of writing.
  notes: union(
    outline(box(16, 10, 60, 71, 6)),
    line(16, 22, 9, 22, 4),
    line(16, 40.5, 9, 40.5, 4),
    line(16, 59, 9, 59, 4),
    line(28, 26, 49, 26),
    line(28, 38, 49, 38),
    line(28, 50, 41, 50),
    // A pen across the lower right corner.
    line(71, 38, 55, 66, 7),
    line(55, 66, 52.5, 71.5, 3)
  ),
  // 排行: three bars, the middle one highest, on a base line.
  ranking: union(
    outline(box(14, 38, 28, 66, 3)),
    outline(box(33.5, 14, 47.5, 66, 3)),
    outline(box(53, 28, 67, 66, 3)),
    line(9, 70, 72, 70)
  ),
  // 我的: a head and shoulders.
  me: union(
    outline(disc(40.5, 26, 13)),
    above(outline(disc(40.5, 73, 26)), 70),
    // Round ends where the shoulders are cut off.
    disc(40.5 - Math.sqrt(26 ** 2 - 3 ** 2), 70, STROKE / 2),
    disc(40.5 + Math.sqrt(26 ** 2 - 3 ** 2), 70, STROKE / 2)
  )
}

/** RGBA pixels of `shape` in `colour` on a transparent background. */
export function render(shape: Shape, colour: string, size = SIZE): Buffer {
  const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16))
  const px = Buffer.alloc(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Half a pixel of ramp either side of the edge: coverage of the pixel by the shape.
      const cover = Math.max(0, Math.min(1, 0.5 - shape(x + 0.5, y + 0.5)))
      const i = (y * size + x) * 4
      px[i] = rgb[0]
      px[i + 1] = rgb[1]
      px[i + 2] = rgb[2]
      px[i + 3] = Math.round(cover * 255)
    }
  }
  return px
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

export function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4)
  head.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([head, body, crc])
}

/** A PNG of 8-bit RGBA pixels (colour type 6), every row unfiltered. */
export function encodePng(rgba: Buffer, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 6
  const rows = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

function main(): void {
  const dir = resolve(__dirname, '..', 'src', 'assets', 'tab')
  mkdirSync(dir, { recursive: true })
  for (const [name, shape] of Object.entries(ICONS)) {
    for (const [file, colour] of [[`${name}.png`, GREY], [`${name}-active.png`, RED]]) {
      const png = encodePng(render(shape, colour), SIZE, SIZE)
      writeFileSync(join(dir, file), png)
      console.log(`${file}\t${SIZE}×${SIZE}\t${png.length} B`)
    }
  }
}

if (require.main === module) main()
