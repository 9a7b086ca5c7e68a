/**
 * Texts and small helpers of the CloudBase journeys: the periods of an
 * instant (the bundles run on the real clock), real speech text for notes,
 * and a reflection of a member's own (not in any known source, so a copy of
 * it is judged a copy rather than an excerpt).
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import { periodKeysOf } from '../../src/core/period'

export const SEC = 1000
export const MIN = 60 * SEC
export const HOUR = 60 * MIN

/** About `chars` characters of a real speech (data/seeds), whitespace removed, cut at a sentence end when one is near. */
export function speechText(chars: number, which = 1, from = 0): string {
  const text = readFileSync(join(__dirname, '../../data/seeds', `speech-${which}.txt`), 'utf8').replace(/\s+/g, '')
  const cut = text.slice(from, from + chars)
  const end = cut.lastIndexOf('。')
  return end > chars * 0.9 ? cut.slice(0, end + 1) : cut
}

/** Month / quarter / year keys (Asia/Shanghai) of an instant. */
export function periodsOf(at: number): { month: string; quarter: string; year: string } {
  const k = periodKeysOf(at)
  return { month: k.month, quarter: k.quarter, year: k.year }
}

/**
 * A member's own 心得体会, written for this test (about 700 characters): no
 * passage of it is in data/seeds, so another member handing it in as theirs
 * is a copy, not an excerpt of a studied text.
 */
export const OWN_REFLECTION = [
  '这次支部组织集中学习以后，我把自己这一年的工作从头到尾捋了一遍，心里既有收获也有不少惭愧。',
  '收获在于，过去总觉得理论学习离窗口业务很远，这回结合办件中遇到的真实情况再读原文，才发现很多道理说的正是我们每天碰到的问题。',
  '比如群众来办事最怕跑冤枉路，我们科室今年把材料清单重新梳理成一张表，贴在大厅入口，来回补材料的人明显少了，这就是把为民服务落到细处。',
  '惭愧在于，自己有时候图省事，遇到政策边界模糊的事项就往上推，嘴上说按规矩办，实际上是怕担责任。',
  '上个月有位老师傅来咨询退休待遇重算，我第一反应是让他去别的窗口问，后来同事提醒我先把情况听完，结果半个小时就帮他理清了材料，老人家走的时候连声道谢，我脸上有些发烫。',
  '这件小事让我想明白，担当不是喊口号，而是在能办的范围里多想一步、多问一句。',
  '今后我打算做三件具体的事：第一，每周抽出两个晚上读原著，读完写几句自己的话，不抄不凑；',
  '第二，把窗口常见的十几类问题整理成问答，和科里同事一起修改，争取年底前形成一本小册子；',
  '第三，每个季度主动约一位老党员谈心，听听他们当年是怎样在条件艰苦的情况下坚持原则、服务群众的。',
  '我也给自己提个醒，学习笔记要写真体会，不能为了凑字数去抄材料，字数够了心里没底，那才是最大的形式主义。',
  '支部书记在会上说，学习好不好，最后要看群众满意不满意。我把这句话抄在工作笔记的第一页，时时对照，提醒自己少说空话、多办实事。',
  '回头看这一年，进步有一点，差距也不小，特别是面对新业务时钻研不够、主动学习的劲头时紧时松。',
  '明年我要把学习和岗位练兵结合起来，争取每个月都能拿出一件看得见的改进，让来办事的群众少等一会儿、少跑一趟。'
].join('')
