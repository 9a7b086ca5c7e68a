import { FIGURE_PATTERN, splitFigures } from '../../src/components/figures'

const figures = (s: string) => splitFigures(s).filter((r) => r.figure).map((r) => r.text)

describe('splitFigures: the figures a sentence keeps on one line', () => {
  it('joins back to the sentence it was given', () => {
    for (const s of ['还需写 8,900 字，按进度每月约 742 字', '', '没有数字', '2026年12月6日 签到 12/15 13:30 开放', '出勤率 85.7%'])
      expect(splitFigures(s).map((r) => r.text).join('')).toBe(s)
  })

  it('takes a number with its separators and the unit after it, with or without a space', () => {
    expect(figures('今年已写 6,391 字，定额 10,000字')).toEqual(['6,391 字', '10,000字'])
    expect(figures('出勤率 85.7%，应到 3 场')).toEqual(['85.7%', '3 场'])
    expect(figures('提前 10 分钟提醒')).toEqual(['10 分钟'])
  })

  it('keeps a Chinese date, and a date with its time, as one figure', () => {
    expect(figures('2026年12月6日举行')).toEqual(['2026年12月6日'])
    expect(figures('签到 12/15 13:30 开放')).toEqual(['12/15 13:30'])
    expect(figures('1月主题党日')).toEqual(['1月'])
  })

  it('leaves a sentence without figures as one plain run', () => {
    expect(splitFigures('请填写姓名')).toEqual([{ text: '请填写姓名', figure: false }])
  })

  it('is one pattern, usable as a RegExp source by the browser check', () => {
    expect(() => new RegExp(FIGURE_PATTERN, 'g')).not.toThrow()
  })
})
