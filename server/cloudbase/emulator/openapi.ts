import type { EmbeddedDatabase } from '../../db'
import type { Collections } from './collections'
import { CloudbaseError } from './errors'

/**
 * `cloud.openapi.*` as wx-server-sdk 4.0.2 makes it: node-sdk's
 * callCompatibleWxOpenApi POSTs multipart form fields `action=wx.openApi`,
 * `apiName` (e.g. `subscribeMessage.send`) and `requestData`, a protobuf
 * CommApiData { apiType = 1, openapiData = 2 { pairs = 1: KeyValuePair
 * { key = 1, value = 2 (JSON bytes) } } } whose keys are the WeChat API's
 * snake_case fields. The answer is a protobuf CommOpenApiResp { respData = 1
 * (bytes), contentType = 2 } sent as raw bytes; respData holds WeChat's JSON
 * (`{"errcode":0,"errmsg":"ok"}`), which wx-server-sdk turns into
 * `{ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' }`.
 */

export const OUTBOX = 'wechat_outbox'

// --- the few protobuf wire rules these two messages need ---------------------

function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0
  let shift = 0
  for (;;) {
    if (pos >= buf.length) throw CloudbaseError.invalidParam('truncated protobuf varint')
    const b = buf[pos++]
    value += (b & 0x7f) * 2 ** shift
    if (b < 0x80) return [value, pos]
    shift += 7
  }
}

/** Length-delimited fields of a message, by field number (other wire types skipped). */
function fieldsOf(buf: Buffer): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>()
  let pos = 0
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos)
    const field = Math.floor(tag / 8)
    const wire = tag % 8
    pos = p1
    if (wire === 0) pos = readVarint(buf, pos)[1]
    else if (wire === 1) pos += 8
    else if (wire === 5) pos += 4
    else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos)
      const list = out.get(field) ?? []
      list.push(buf.subarray(p2, p2 + len))
      out.set(field, list)
      pos = p2 + len
    } else throw CloudbaseError.invalidParam(`unsupported protobuf wire type ${wire}`)
  }
  return out
}

function varint(n: number): Buffer {
  const bytes: number[] = []
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  bytes.push(n)
  return Buffer.from(bytes)
}

function bytesField(field: number, value: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(value.length), value])
}

/** The request's parameters, `{ touser, template_id, page, data, … }`. */
export function decodeOpenApiRequest(requestData: Buffer): Record<string, unknown> {
  const openapiData = fieldsOf(requestData).get(2)?.[0]
  const params: Record<string, unknown> = {}
  if (!openapiData) return params
  for (const pair of fieldsOf(openapiData).get(1) ?? []) {
    const f = fieldsOf(pair)
    const key = f.get(1)?.[0]?.toString('utf8')
    const value = f.get(2)?.[0]?.toString('utf8')
    if (key === undefined || value === undefined) continue
    try {
      params[key] = JSON.parse(value)
    } catch {
      params[key] = value
    }
  }
  return params
}

/** A CommOpenApiResp carrying WeChat's JSON answer. */
export function encodeOpenApiResponse(json: unknown): Buffer {
  return Buffer.concat([
    bytesField(1, Buffer.from(JSON.stringify(json), 'utf8')),
    bytesField(2, Buffer.from('application/json; charset=utf-8', 'utf8'))
  ])
}

// --- the APIs answered ----------------------------------------------------------

/**
 * subscribeMessage.send: the message goes to the `wechat_outbox` collection
 * (created if missing: the local runtime's notifier writes there too), in the
 * local notifier's shape, and WeChat's success is answered.
 */
export async function answerOpenApi(
  db: EmbeddedDatabase,
  collections: Collections,
  apiName: string,
  params: Record<string, unknown>
): Promise<Record<string, unknown>> {
  if (apiName !== 'subscribeMessage.send') {
    return { errcode: -604100, errmsg: `API not found: the local emulator answers subscribeMessage.send only, not ${apiName}` }
  }
  if (typeof params.touser !== 'string' || typeof params.template_id !== 'string') {
    // WeChat's own answer for a missing required field.
    return { errcode: 47003, errmsg: 'argument invalid! touser and template_id are required' }
  }
  if (!collections.exists(OUTBOX)) await collections.create(OUTBOX).catch(() => undefined)
  await db.collection(OUTBOX).add({
    data: {
      openid: params.touser,
      templateId: params.template_id,
      ...(typeof params.page === 'string' ? { page: params.page } : {}),
      data: params.data ?? {},
      ...(typeof params.miniprogram_state === 'string' ? { miniprogramState: params.miniprogram_state } : {}),
      ...(typeof params.lang === 'string' ? { lang: params.lang } : {}),
      via: 'openapi',
      at: Date.now()
    }
  })
  return { errcode: 0, errmsg: 'ok' }
}
