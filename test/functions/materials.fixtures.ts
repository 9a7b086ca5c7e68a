/**
 * A study material written straight into the index, as if added through
 * `note.addMaterial` and indexed to the end, for the originality suites.
 */
import { advanceMaterial } from '../../cloudfunctions/_shared/materials'
import { SOURCES } from '../../cloudfunctions/_shared/originality'
import type { Runtime } from '../../cloudfunctions/_shared/runtime'
import { fingerprintSet } from '../../src/core/originality'
import { StudyMaterialSchema, materialContentHash, type MaterialHead } from '../../src/core/schemas/material'
import { countNoteWords } from '../../src/core/words'

export async function addIndexedMaterial(
  rt: Runtime,
  m: { _id: string; title: string; content: string; orgPath: string[] }
): Promise<MaterialHead> {
  const at = rt.clock.now()
  const doc = StudyMaterialSchema.parse({
    ...m,
    orgId: m.orgPath[m.orgPath.length - 1],
    scope: m.orgPath[0],
    words: countNoteWords(m.content),
    contentHash: materialContentHash(m.content),
    hashes: fingerprintSet(m.content),
    hashCount: fingerprintSet(m.content).length,
    indexed: 0,
    status: 'indexing',
    createdBy: 'm-fixture',
    createdByName: '测试',
    createdAt: at,
    updatedAt: at
  })
  await rt.db.collection(SOURCES).add({ data: doc })
  for (let i = 0; i < 1000; i++) {
    const now = await advanceMaterial(rt, m._id)
    if (now?.status === 'ready') return now
  }
  throw new Error(`material ${m._id} never got indexed`)
}

/**
 * A speech the app does not know (written for these tests, not in
 * data/seeds), as a secretary would paste it: title, 出处, paragraphs.
 */
export const NEW_SPEECH = {
  title: '在支部学习交流会上的讲话',
  origin: '机关党委书记，2026年11月支部学习交流会',
  paragraphs: [
    '同志们，今天召开支部学习交流会，主要任务是回顾这一阶段的学习情况，交流体会，查找不足，把下一步的学习安排好。从大家交上来的笔记看，多数同志读得认真，记得扎实，也有少数同志满足于抄一抄、划一划，学用脱节的问题还没有真正解决。',
    '学习贵在持之以恒。每周固定半天集中学习，个人自学要有计划、有记录、有思考，不能平时不烧香、临时抱佛脚。支部要把学习情况纳入日常管理，每月小结一次，每季度讲评一次，对学得好的同志及时肯定，对跟不上的同志主动谈心，帮助他们找到适合自己的学习方法。',
    '学习的目的全在于运用。要结合窗口服务中群众反映最集中的问题，把学到的理论转化为解决实际问题的思路和办法，做到学一点、懂一点、用一点。每名党员都要想一想，自己岗位上有哪些事情还能做得更好，有哪些群众的难题还没有解决，把答案写进笔记，更落实到行动上。',
    '各支部书记要当好第一责任人，既要带头学，又要带头讲，还要带头用。要把学习和业务工作同部署、同检查，不搞形式主义，不给基层增加负担，让学习真正成为每名党员的自觉行动和生活习惯。'
  ]
} as const

export function speechContent(): string {
  return NEW_SPEECH.paragraphs.join('\n\n')
}

/** A text of `chars` Han characters nobody has written: every fingerprint a new posting (the costliest to index). */
export function unknownText(chars: number, seed = 1): string {
  const HAN = '天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜海咸河淡鳞潜羽翔龙师火帝鸟官人皇始制文字乃服衣裳推位让国有虞陶唐'
  let x = seed * 2654435761
  let out = ''
  for (let i = 0; i < chars; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out += HAN[(x >>> 8) % HAN.length]
    if (i % 60 === 59) out += '。\n'
  }
  return out
}
