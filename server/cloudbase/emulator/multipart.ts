/**
 * multipart/form-data as node-sdk sends it (the `form-data` package) for
 * `wx.openApi` calls: text fields plus one binary field (`requestData`, a
 * protobuf message). Parts are kept as Buffers so binary survives.
 */
export function parseMultipart(body: Buffer, contentType: string): Map<string, Buffer> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  const fields = new Map<string, Buffer>()
  if (!m) return fields
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`)
  let pos = body.indexOf(delimiter)
  while (pos !== -1) {
    const start = pos + delimiter.length
    // "--" after the delimiter closes the body.
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break
    const next = body.indexOf(delimiter, start)
    if (next === -1) break
    const part = body.subarray(start + 2, next - 2) // skip the CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n')
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8')
      const name = /name="([^"]*)"/i.exec(headers)?.[1]
      if (name !== undefined) fields.set(name, part.subarray(headerEnd + 4))
    }
    pos = next
  }
  return fields
}
