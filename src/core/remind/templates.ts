/**
 * Texts for the common reminders: the draft the compose page fills in, and
 * the data a WeChat subscribe message carries. Times read in Asia/Shanghai.
 */
import type { TemplateKey } from '../functions/remind'
import { formatShanghai } from '../period'

export const TEMPLATE_LABELS: Record<TemplateKey, string> = {
  session_tomorrow: '明天有活动',
  session_soon: '活动即将开始',
  notes_behind: '笔记进度提醒',
  makeup_due: '补学即将截止',
  outcome: '办理结果通知'
}

/** WeChat rejects a `thing.*` value longer than 20 characters. */
export const THING_MAX = 20
/** Reminder titles are lineText(60), counted in UTF-16 units. */
const TITLE_MAX_UNITS = 60
const ELLIPSIS = '…'

/** thing fields are one line: newlines and runs of spaces read as one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** A cut right after a zero-width joiner would leave half an emoji sequence. */
function dropDanglingJoiner(chars: string[]): string[] {
  let end = chars.length
  while (end > 0 && chars[end - 1] === '\u200d') end--
  return chars.slice(0, end)
}

/**
 * WeChat `thing.*` fields take at most 20 characters: clip by code points
 * (never splitting a surrogate pair), ending with … when cut.
 */
export function clipThing(text: string, max: number = THING_MAX): string {
  const limit = Math.max(1, Math.floor(max))
  const chars = Array.from(oneLine(text))
  if (chars.length <= limit) return chars.join('')
  const kept = dropDanglingJoiner(chars.slice(0, limit - 1)).join('').trimEnd()
  return kept + ELLIPSIS
}

/** Clip so the UTF-16 length fits a lineText limit, still cutting on code points. */
function fitUnits(text: string, maxUnits: number): string {
  const line = oneLine(text)
  if (line.length <= maxUnits) return line
  const chars = Array.from(line)
  let kept = ''
  for (const ch of chars) {
    if (kept.length + ch.length + ELLIPSIS.length > maxUnits) break
    kept += ch
  }
  return dropDanglingJoiner(Array.from(kept)).join('').trimEnd() + ELLIPSIS
}

export interface DraftContext {
  sessionTitle?: string
  startAt?: number
  venue?: string
  deadline?: number
  branchName: string
}

function when(at: number): string {
  return formatShanghai(at, 'M月D日 HH:mm')
}

function clock(at: number): string {
  return formatShanghai(at, 'HH:mm')
}

function quoted(title: string | undefined, fallback: string): string {
  const t = title ? oneLine(title) : ''
  return t ? `「${t}」` : fallback
}

function has(text: string | undefined): text is string {
  return text !== undefined && oneLine(text) !== ''
}

/**
 * The default title and body the compose page fills in (the secretary may
 * edit them). Plain and kind: say what, when and where, and the way out
 * (leave, no rush), never a reproach.
 */
export function draftFor(key: TemplateKey, ctx: DraftContext): { title: string; body: string } {
  const session = quoted(ctx.sessionTitle, '支部活动')
  const branch = oneLine(ctx.branchName) || '支部'
  const where = has(ctx.venue) ? `在${oneLine(ctx.venue)}` : ''
  let title: string
  let body: string
  switch (key) {
    case 'session_tomorrow':
      title = has(ctx.sessionTitle) ? `明天：${oneLine(ctx.sessionTitle)}` : '明天有支部活动'
      body =
        `${branch}${ctx.startAt !== undefined ? `定于${when(ctx.startAt)}` : '明天'}${where}开展${session}，欢迎按时参加。` +
        '如有事不能到场，可以在小程序里请假。'
      break
    case 'session_soon':
      title = has(ctx.sessionTitle) ? `即将开始：${oneLine(ctx.sessionTitle)}` : '支部活动即将开始'
      body = `${session}${ctx.startAt !== undefined ? `将于${clock(ctx.startAt)}` : '马上就要'}${where}开始，到场后扫码签到就好。`
      break
    case 'notes_behind':
      title = '笔记进度提醒'
      body = '今年的学习笔记比平均进度稍慢了一些。不用赶，平时抽空写上几段，就能慢慢跟上。'
      break
    case 'makeup_due':
      title = has(ctx.sessionTitle) ? `补学提醒：${oneLine(ctx.sessionTitle)}` : '补学提醒'
      body =
        `${session}的补学${ctx.deadline !== undefined ? `请在${when(ctx.deadline)}前完成` : '还没有完成'}，` +
        '提交后书记会尽快查看。有困难可以直接和书记说。'
      break
    case 'outcome':
      // Outcome messages are written by outcomes.ts from the decision; never composed by hand.
      title = TEMPLATE_LABELS.outcome
      body = '您的申请有了结果，详情请在小程序「消息」里查看。'
      break
  }
  return { title: fitUnits(title, TITLE_MAX_UNITS), body }
}

export interface WechatReminder {
  title: string
  body: string
  startAt?: number
  venue?: string
  deadline?: number
}

/** WeChat `time.*` format, Shanghai wall clock. */
export function wechatTime(at: number): string {
  return formatShanghai(at, 'YYYY年M月D日 HH:mm')
}

/**
 * The subscribe-message data for a template. This is the deployment's
 * template layout (the template ids themselves are configuration):
 * - session_tomorrow, session_soon: thing1 = title, time2 = start time,
 *   thing3 = venue (or the body when there is none), thing4 = body hint;
 * - notes_behind: thing1 = title, thing2 = body;
 * - makeup_due: thing1 = title, time2 = deadline, thing3 = body.
 * Every thing value is at most 20 code points and never empty (it falls
 * back to the title, then the template's label): WeChat refuses both.
 * A time field is left out when its instant is missing; WeChat then
 * refuses the message, and the in-app inbox still carries it.
 */
export function wechatData(key: TemplateKey, r: WechatReminder): Record<string, { value: string }> {
  const title = clipThing(r.title) || clipThing(TEMPLATE_LABELS[key])
  const thing = (text: string | undefined): { value: string } => {
    const clipped = text === undefined ? '' : clipThing(text)
    return { value: clipped || title }
  }
  const data: Record<string, { value: string }> = { thing1: { value: title } }
  switch (key) {
    case 'session_tomorrow':
    case 'session_soon':
      if (r.startAt !== undefined) data.time2 = { value: wechatTime(r.startAt) }
      data.thing3 = thing(has(r.venue) ? r.venue : r.body)
      data.thing4 = thing(r.body)
      break
    case 'notes_behind':
      data.thing2 = thing(r.body)
      break
    case 'makeup_due':
      if (r.deadline !== undefined) data.time2 = { value: wechatTime(r.deadline) }
      data.thing3 = thing(r.body)
      break
    case 'outcome':
      // Outcomes build their own data (outcomes.ts); this keeps a stray send well-formed.
      data.thing2 = thing(r.body)
      break
  }
  return data
}
