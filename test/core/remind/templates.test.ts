/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 */
import { TEMPLATE_KEYS, type TemplateKey } from '../../../src/core/functions/remind'
import { ReminderSchema } from '../../../src/core/schemas/reminder'
import { TEMPLATE_LABELS, clipThing, draftFor, wechatData } from '../../../src/core/remind'

const sh = (s: string): number => Date.parse(`${s}+08:00`)
const cps = (s: string): number => Array.from(s).length
const hasLoneSurrogate = (s: string): boolean => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)

describe('clipThing', () => {
  test('keeps text of up to 20 code points as it is', () => {
    const twenty = '一二三四五六七八九十一二三四五六七八九十'
    expect(cps(twenty)).toBe(20)
    expect(clipThing(twenty)).toBe(twenty)
    expect(clipThing('短')).toBe('短')
  })

  test('cuts longer text to 20 code points ending with …', () => {
    const text = '一二三四五六七八九十一二三四五六七八九十一'
    const out = clipThing(text)
    expect(cps(out)).toBe(20)
    expect(out).toBe('一二三四五六七八九十一二三四五六七八九…')
  })

  test('counts an emoji (surrogate pair) as one and never splits it', () => {
    const emojis = '🎉'.repeat(20)
    expect(emojis.length).toBe(40)
    expect(clipThing(emojis)).toBe(emojis)
    const more = '🎉'.repeat(25)
    const out = clipThing(more)
    expect(out).toBe('🎉'.repeat(19) + '…')
    expect(hasLoneSurrogate(out)).toBe(false)
    // An emoji right at the cut.
    const mixed = '一二三四五六七八九十一二三四五六七八九𠮷尾巴'
    const cut = clipThing(mixed)
    expect(cps(cut)).toBe(20)
    expect(hasLoneSurrogate(cut)).toBe(false)
    expect(cut.endsWith('九…')).toBe(true)
  })

  test('does not leave a dangling zero-width joiner at the cut', () => {
    const family = '👨\u200d👩\u200d👧'
    const text = '一二三四五六七八九十一二三四五六七八' + family + '尾'
    const out = clipThing(text)
    expect(out.includes('\u200d…')).toBe(false)
    expect(cps(out)).toBeLessThanOrEqual(20)
  })

  test('folds newlines and spaces into one line', () => {
    expect(clipThing('  第一行\n\n第二行\t 完  ')).toBe('第一行 第二行 完')
  })

  test('honours a custom max, and never returns more than max', () => {
    expect(clipThing('abcdef', 5)).toBe('abcd…')
    expect(clipThing('abcde', 5)).toBe('abcde')
    expect(clipThing('abc', 1)).toBe('…')
  })

  test('no trailing space before the ellipsis', () => {
    expect(clipThing('一二三四五六七八九十一二三四五六七八 九十一')).toBe('一二三四五六七八九十一二三四五六七八…')
  })
})

describe('TEMPLATE_LABELS', () => {
  test('one plain label per template key', () => {
    expect(TEMPLATE_LABELS).toEqual({
      session_tomorrow: '明天有活动',
      session_soon: '活动即将开始',
      notes_behind: '笔记进度提醒',
      makeup_due: '补学即将截止',
      outcome: '办理结果通知'
    })
    expect(Object.keys(TEMPLATE_LABELS).sort()).toEqual([...TEMPLATE_KEYS].sort())
  })
})

describe.each([['UTC'], ['America/New_York'], ['Asia/Shanghai']])('with process TZ=%s', (zone) => {
  beforeAll(() => {
    process.env.TZ = zone
  })

  // 2026-03-06 00:30 Shanghai is still 2026-03-05 in UTC and New York.
  const startAt = sh('2026-03-06T00:30:00')
  const deadline = sh('2026-03-10T09:05:00')

  test('wechatData session_tomorrow: layout, time in Shanghai, clipped things', () => {
    const data = wechatData('session_tomorrow', {
      title: '三月主题党日：学习贯彻全会精神专题研讨活动',
      body: '请带上学习笔记本，提前十分钟到场扫码签到，谢谢大家配合',
      startAt,
      venue: '机关办公楼三楼第一会议室'
    })
    expect(Object.keys(data).sort()).toEqual(['thing1', 'thing3', 'thing4', 'time2'])
    expect(data.time2).toEqual({ value: '2026年3月6日 00:30' })
    expect(data.thing1.value).toBe('三月主题党日：学习贯彻全会精神专题研讨…')
    expect(data.thing3.value).toBe('机关办公楼三楼第一会议室')
    expect(cps(data.thing4.value)).toBe(20)
    expect(data.thing4.value.endsWith('…')).toBe(true)
  })

  test('wechatData session_soon without venue puts the body in thing3', () => {
    const data = wechatData('session_soon', { title: '党课', body: '马上开始', startAt, venue: '  ' })
    expect(data).toEqual({
      thing1: { value: '党课' },
      time2: { value: '2026年3月6日 00:30' },
      thing3: { value: '马上开始' },
      thing4: { value: '马上开始' }
    })
  })

  test('wechatData makeup_due: title, deadline, body', () => {
    const data = wechatData('makeup_due', { title: '补学提醒', body: '请抽空完成补学', deadline })
    expect(data).toEqual({
      thing1: { value: '补学提醒' },
      time2: { value: '2026年3月10日 09:05' },
      thing3: { value: '请抽空完成补学' }
    })
  })

  test('draftFor session_tomorrow names time and place in Shanghai time', () => {
    const d = draftFor('session_tomorrow', { sessionTitle: '三月主题党日', startAt, venue: '第一会议室', branchName: '机关第一党支部' })
    expect(d.title).toBe('明天：三月主题党日')
    expect(d.body).toContain('3月6日 00:30')
    expect(d.body).toContain('第一会议室')
    expect(d.body).toContain('「三月主题党日」')
    expect(d.body).toContain('机关第一党支部')
    expect(d.body).toContain('请假')
  })

  test('draftFor makeup_due names the deadline', () => {
    const d = draftFor('makeup_due', { sessionTitle: '党课', deadline, branchName: '一支部' })
    expect(d.title).toBe('补学提醒：党课')
    expect(d.body).toContain('3月10日 09:05前')
  })
})

describe('wechatData', () => {
  test('notes_behind: thing1 title, thing2 body', () => {
    expect(wechatData('notes_behind', { title: '笔记进度提醒', body: '有空写几段' })).toEqual({
      thing1: { value: '笔记进度提醒' },
      thing2: { value: '有空写几段' }
    })
  })

  test('a blank body or venue falls back to the title, never empty', () => {
    const data = wechatData('session_soon', { title: '党小组会', body: ' \n ', startAt: 0 })
    expect(data.thing3.value).toBe('党小组会')
    expect(data.thing4.value).toBe('党小组会')
    expect(wechatData('notes_behind', { title: '提醒', body: '' }).thing2.value).toBe('提醒')
  })

  test('a blank title falls back to the template label', () => {
    expect(wechatData('makeup_due', { title: '   ', body: '' }).thing1.value).toBe('补学即将截止')
    expect(wechatData('makeup_due', { title: '   ', body: '' }).thing3.value).toBe('补学即将截止')
  })

  test('a missing time leaves the time field out rather than inventing one', () => {
    expect(wechatData('makeup_due', { title: 't', body: 'b' })).not.toHaveProperty('time2')
    expect(wechatData('session_tomorrow', { title: 't', body: 'b' })).not.toHaveProperty('time2')
  })

  test.each(TEMPLATE_KEYS.map((k) => [k]))('%s: every thing value is 1–20 code points, with emoji bodies', (key) => {
    const long = '🇨🇳请大家准时参加，带好笔记本和党员证，'.repeat(3)
    const data = wechatData(key as TemplateKey, { title: long, body: long, venue: long, startAt: 0, deadline: 0 })
    for (const [field, { value }] of Object.entries(data)) {
      if (!field.startsWith('thing')) continue
      expect(cps(value)).toBeGreaterThanOrEqual(1)
      expect(cps(value)).toBeLessThanOrEqual(20)
      expect(hasLoneSurrogate(value)).toBe(false)
    }
  })
})

describe('draftFor', () => {
  const base = { branchName: '机关第一党支部' }

  test.each(TEMPLATE_KEYS.map((k) => [k]))('%s: a draft that a reminder accepts, even with no context', (key) => {
    const d = draftFor(key as TemplateKey, base)
    expect(d.title.trim()).not.toBe('')
    expect(d.body.trim()).not.toBe('')
    const parsed = ReminderSchema.pick({ title: true, body: true }).safeParse(d)
    expect(parsed.success).toBe(true)
  })

  test('a 60-character session title still yields a title within 60', () => {
    const title = '学'.repeat(60)
    for (const key of TEMPLATE_KEYS) {
      const d = draftFor(key, { ...base, sessionTitle: title, startAt: 0, deadline: 0, venue: '会议室' })
      expect(d.title.length).toBeLessThanOrEqual(60)
      expect(ReminderSchema.pick({ title: true, body: true }).safeParse(d).success).toBe(true)
    }
    const emojiTitle = '🎉'.repeat(30)
    const d = draftFor('session_soon', { ...base, sessionTitle: emojiTitle })
    expect(d.title.length).toBeLessThanOrEqual(60)
    expect(hasLoneSurrogate(d.title)).toBe(false)
  })

  test('notes_behind is gentle: no reproach, no threat', () => {
    const d = draftFor('notes_behind', base)
    expect(d.title).toBe('笔记进度提醒')
    for (const harsh of ['必须', '立即', '警告', '通报', '批评', '！']) expect(d.body).not.toContain(harsh)
  })

  test('session_soon without a start time still reads well', () => {
    const d = draftFor('session_soon', { ...base, sessionTitle: '党课' })
    expect(d.title).toBe('即将开始：党课')
    expect(d.body).toBe('「党课」马上就要开始，到场后扫码签到就好。')
  })
})
