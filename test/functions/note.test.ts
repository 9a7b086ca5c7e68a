import { NoteGetOutput, NoteListOutput, NoteRemoveOutput, NoteReviewOutput, NoteSaveOutput } from '../../src/core/functions/note'
import type { Note } from '../../src/core/schemas/note'
import { NOTE_MAX_CHARS, countNoteWords } from '../../src/core/words'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { P, freshText, saveNote, type ListOut } from './note.fixtures'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())
beforeEach(() => {
  env.clock.set(Date.parse('2026-11-20T02:00:00Z'))
})

const get = (noteId: string, as: string) => env.call<{ note: Note }>('note', 'get', { noteId }, as)
async function create(as: string = P.member, body: Record<string, unknown> = {}): Promise<Note> {
  return expectOk(await saveNote(env, as, { content: freshText(), ...body })).note
}

describe('note.save: create', () => {
  it('creates version 1 as the caller, counting the words on the server', async () => {
    const content = freshText(30)
    const out = NoteSaveOutput.parse(expectOk(await saveNote(env, P.member, { kind: 'essay', title: '心得', source: '党章', content })))
    expect(out.note).toMatchObject({
      kind: 'essay',
      title: '心得',
      source: '党章',
      content,
      words: countNoteWords(content),
      version: 1,
      year: 2026,
      memberId: P.member,
      branchId: 'br_2',
      review: { status: 'pending' },
      createdAt: env.clock.now(),
      updatedAt: env.clock.now()
    })
    expect(out.note.creditedWords).toBeLessThanOrEqual(out.note.words)
    expect(NoteGetOutput.parse(expectOk(await get(out.note._id, P.member))).note).toEqual(out.note)
  })

  it('takes the author from the identity only; a memberId in the payload is refused', async () => {
    expectFail(await saveNote(env, P.member, { content: freshText(), memberId: P.other }), 'INVALID_INPUT')
    expectFail(await saveNote(env, P.member, { content: freshText(), branchId: 'br_1' }), 'INVALID_INPUT')
    expect(expectFail(await saveNote(env, null as unknown as string, { content: freshText() }), 'FORBIDDEN').details).toMatchObject({ login: true })
  })

  it('files a note written at 00:30 on 1 January (Shanghai) under the new year', async () => {
    env.clock.set(Date.parse('2026-12-31T16:30:00Z'))
    expect((await create()).year).toBe(2027)
    env.clock.set(Date.parse('2026-12-31T15:59:59Z'))
    expect((await create()).year).toBe(2026)
  })

  it('a retried first save with the same clientId returns the same note', async () => {
    const content = freshText()
    const first = expectOk(await saveNote(env, P.member, { content, clientId: 'draft-r1' }))
    env.clock.advance(5000)
    const again = expectOk(await saveNote(env, P.member, { content, clientId: 'draft-r1' }))
    expect(again.note).toEqual(first.note)
    const { total } = await env.db.collection('notes').where({ memberId: P.member, title: '学习笔记', content }).count()
    expect(total).toBe(1)
    // Another member's identical clientId is another note.
    const theirs = expectOk(await saveNote(env, P.other, { content: freshText(), clientId: 'draft-r1' }))
    expect(theirs.note._id).not.toBe(first.note._id)
  })

  it('concurrent retries of a first save leave exactly one note', async () => {
    const content = freshText()
    const outs = (await Promise.all(Array.from({ length: 8 }, () => saveNote(env, P.member, { content, clientId: 'draft-race' })))).map((r) => expectOk(r))
    expect(new Set(outs.map((o) => o.note._id)).size).toBe(1)
    expect((await env.db.collection('notes').where({ _id: outs[0].note._id }).count()).total).toBe(1)
  })

  it('a different text under a used clientId is a CONFLICT carrying the stored text, nothing overwritten', async () => {
    const content = freshText()
    const first = expectOk(await saveNote(env, P.member, { content, clientId: 'draft-r2' }))
    const e = expectFail(await saveNote(env, P.member, { content: freshText(), clientId: 'draft-r2' }), 'CONFLICT')
    expect(e.details).toMatchObject({ note: { version: 1, content, title: '学习笔记', updatedAt: first.note.updatedAt } })
    expect(expectOk(await get(first.note._id, P.member)).note.content).toBe(content)
  })
})

describe('note.save: edit and version conflicts', () => {
  it('an edit bumps the version, recounts, and sends a reviewed note back to pending', async () => {
    const n = await create()
    expectOk(await env.call('note', 'review', { noteId: n._id, status: 'passed' }, P.secretary2))
    env.clock.advance(60_000)
    const content = freshText(50)
    const out = expectOk(await saveNote(env, P.member, { id: n._id, version: 1, title: '改过的标题', content }))
    expect(out.note).toMatchObject({ _id: n._id, version: 2, title: '改过的标题', content, words: countNoteWords(content), review: { status: 'pending' }, createdAt: n.createdAt, updatedAt: env.clock.now(), year: n.year })
  })

  it('two devices: the stale save gets CONFLICT with the stored version, title, text and time; both texts survive', async () => {
    const n = await create()
    const phoneText = freshText()
    const padText = freshText()
    env.clock.advance(1000)
    const phone = expectOk(await saveNote(env, P.member, { id: n._id, version: 1, title: '手机上改的', content: phoneText }))
    env.clock.advance(1000)
    const e = expectFail(await saveNote(env, P.member, { id: n._id, version: 1, title: '平板上改的', content: padText }), 'CONFLICT')
    expect(e.message).toContain('另一台设备')
    expect(e.details).toMatchObject({ note: { _id: n._id, version: 2, title: '手机上改的', content: phoneText, updatedAt: phone.note.updatedAt } })
    // Nothing was overwritten; the member chooses the tablet's text and saves on top of version 2.
    expect(expectOk(await get(n._id, P.member)).note.content).toBe(phoneText)
    const chosen = expectOk(await saveNote(env, P.member, { id: n._id, version: 2, title: '平板上改的', content: padText }))
    expect(chosen.note).toMatchObject({ version: 3, content: padText })
  })

  it('a retried edit whose reply was lost is not a conflict; an identical save writes nothing', async () => {
    const n = await create()
    const content = freshText()
    const first = expectOk(await saveNote(env, P.member, { id: n._id, version: 1, content }))
    expect(expectOk(await saveNote(env, P.member, { id: n._id, version: 1, content })).note).toEqual(first.note)
    expect(expectOk(await saveNote(env, P.member, { id: n._id, version: 2, content })).note).toEqual(first.note)
  })

  it('only the author edits: another member, the secretary and an unknown id are refused alike', async () => {
    const n = await create()
    for (const who of [P.other, P.secretary2]) {
      const e = expectFail(await saveNote(env, who, { id: n._id, version: 1, content: freshText() }), 'FORBIDDEN')
      expect(JSON.stringify(e)).not.toContain(n.content)
    }
    expectFail(await saveNote(env, P.member, { id: 'nt:nope', version: 1, content: freshText() }), 'FORBIDDEN')
    expect(expectOk(await get(n._id, P.member)).note.version).toBe(1)
  })
})

describe('note.save: what the text may hold', () => {
  it('refuses 20,001 characters with a kind message naming the limit; 20,000 are accepted', async () => {
    const e = expectFail(await saveNote(env, P.member, { content: '学'.repeat(NOTE_MAX_CHARS + 1) }), 'INVALID_INPUT')
    expect(e.message).toBe('一篇笔记最多 20000 字符，请分成两篇保存')
    expect(e.details).toMatchObject({ max: 20000, length: 20001 })
    const long = freshText().padEnd(NOTE_MAX_CHARS, '习')
    const out = expectOk(await saveNote(env, P.member, { content: long }))
    expect(out.note.content.length).toBe(NOTE_MAX_CHARS)
    expect(out.note.words).toBe(countNoteWords(long))
  })

  it('refuses control characters but keeps tabs and line breaks', async () => {
    for (const bad of ['学习\u0000笔记', '学习\u0007', '\u001b[31m学习', '学习\u007f']) {
      expect(expectFail(await saveNote(env, P.member, { content: bad }), 'INVALID_INPUT').message).toContain('控制字符')
    }
    expect(expectFail(await saveNote(env, P.member, { title: '标题\u0000', content: freshText() }), 'INVALID_INPUT').message).toContain('控制字符')
    const layout = `${freshText()}\n\t第二段\r\n第三段`
    expect(expectOk(await saveNote(env, P.member, { content: layout })).note.content).toBe(layout)
  })

  it('keeps HTML and script text verbatim, as plain text', async () => {
    const html = `<script>alert("x")</script><img src=x onerror=alert(1)><b>${freshText(10)}</b> &amp; &lt;`
    const title = '<i>标题</i>'
    const out = expectOk(await saveNote(env, P.member, { title, content: html }))
    const back = expectOk(await get(out.note._id, P.member)).note
    expect(back.content).toBe(html)
    expect(back.title).toBe(title)
    expect(back.words).toBe(countNoteWords(html))
  })

  it('counts emoji as 0 and each Han character as 1, by the published rule', async () => {
    const content = '学习😀🇨🇳👍🏽笔记，GDP 增长 1.5%'
    const out = expectOk(await saveNote(env, P.member, { content }))
    // 学 习 笔 记 ， 增 长 = 7; GDP, 1.5 = 2; emoji, flags, % and spaces = 0.
    expect(out.note.words).toBe(9)
    expect(out.note.words).toBe(countNoteWords(content))
  })

  it('refuses empty, blank, wrongly typed and oversized input with a clear message', async () => {
    expect(expectFail(await saveNote(env, P.member, { content: '' }), 'INVALID_INPUT').message).toBe('笔记正文不能为空')
    expect(expectFail(await saveNote(env, P.member, { content: ' \n\t ' }), 'INVALID_INPUT').message).toBe('笔记正文不能为空')
    expect(expectFail(await saveNote(env, P.member, { title: '  ', content: freshText() }), 'INVALID_INPUT').message).toBe('请填写笔记标题')
    expect(expectFail(await saveNote(env, P.member, { title: '笔'.repeat(61), content: freshText() }), 'INVALID_INPUT').message).toBe('标题最多 60 个字')
    expectOk(await saveNote(env, P.member, { title: '笔'.repeat(60), content: freshText() }))
    expectFail(await saveNote(env, P.member, { source: '书'.repeat(101), content: freshText() }), 'INVALID_INPUT')
    expectFail(await saveNote(env, P.member, { content: 12345 }), 'INVALID_INPUT')
    expectFail(await saveNote(env, P.member, { content: ['a'] }), 'INVALID_INPUT')
    expectFail(await saveNote(env, P.member, { kind: 'diary', content: freshText() }), 'INVALID_INPUT')
    expectFail(await saveNote(env, P.member, { title: 7, content: freshText() }), 'INVALID_INPUT')
    expectFail(await saveNote(env, P.member, { id: 'n1', content: freshText() }), 'INVALID_INPUT')
    expectFail(await saveNote(env, P.member, { id: 'n1', version: '1', content: freshText() }), 'INVALID_INPUT')
    expectFail(await saveNote(env, P.member, { clientId: 'bad id!', content: freshText() }), 'INVALID_INPUT')
    expectFail(await env.call('note', 'get', { noteId: { $ne: null } }, P.member), 'INVALID_INPUT')
    expectFail(await env.call('note', 'nope', {}, P.member), 'INVALID_INPUT')
  })
})

describe('note.get / note.list: who reads what', () => {
  it('a member can never read another member\'s note; missing and forbidden look alike', async () => {
    const n = await create()
    const forbidden = expectFail(await get(n._id, P.other), 'FORBIDDEN')
    const missing = expectFail(await get('nt:missing', P.other), 'FORBIDDEN')
    expect(forbidden.message).toBe(missing.message)
    expect(JSON.stringify(forbidden)).not.toContain(n.content)
  })

  it('the secretary and committee of the author\'s branch and the 党委 admin read it; another branch\'s secretary does not', async () => {
    const n = await create()
    for (const who of [P.secretary2, P.committee2, P.admin]) expect(expectOk(await get(n._id, who)).note.content).toBe(n.content)
    for (const who of [P.secretary1, P.secretary3]) expectFail(await get(n._id, who), 'FORBIDDEN')
  })

  it('lists summaries without text, newest first, with total and paging', async () => {
    env.clock.set(Date.parse('2031-03-01T02:00:00Z'))
    const made: Note[] = []
    for (let i = 0; i < 5; i++) {
      env.clock.advance(60_000)
      made.push(await create(P.member, { kind: i % 2 ? 'essay' : 'note', title: `第${i}篇` }))
    }
    const out = NoteListOutput.parse(expectOk(await env.call<ListOut>('note', 'list', { year: 2031 }, P.member)))
    expect(out.total).toBe(5)
    expect(out.notes.map((n) => n._id)).toEqual(made.map((n) => n._id).reverse())
    expect(out.notes[0]).not.toHaveProperty('content')
    expect(out.notes[0]).not.toHaveProperty('matches')
    expect(out.notes[0].matchCount).toBe(0)
    const page = expectOk(await env.call<ListOut>('note', 'list', { year: 2031, skip: 3, limit: 2 }, P.member))
    expect(page.total).toBe(5)
    expect(page.notes.map((n) => n.title)).toEqual(['第1篇', '第0篇'])
    const essays = expectOk(await env.call<ListOut>('note', 'list', { year: 2031, kind: 'essay' }, P.member))
    expect(essays.notes.map((n) => n.title)).toEqual(['第3篇', '第1篇'])
    expect(essays.total).toBe(2)
  })

  it('lists others\' notes only for officers of their branch', async () => {
    const seeded = expectOk(await env.call<ListOut>('note', 'list', { memberId: P.other, year: 2026, limit: 50 }, P.secretary2))
    expect(seeded.total).toBeGreaterThan(0)
    expect(seeded.notes.every((n) => n.memberId === P.other)).toBe(true)
    for (const who of [P.member, P.secretary1, P.secretary3]) {
      expectFail(await env.call('note', 'list', { memberId: P.other }, who), 'FORBIDDEN')
    }
    expectFail(await env.call('note', 'list', { memberId: 'm_nobody' }, P.secretary2), 'FORBIDDEN')
    expectFail(await env.call('note', 'list', { limit: 51 }, P.member), 'INVALID_INPUT')
  })
})

describe('note.remove', () => {
  it('the author soft-deletes with the current version; it disappears from get and list; a retry is fine', async () => {
    env.clock.set(Date.parse('2032-05-01T02:00:00Z'))
    const n = await create()
    expectFail(await env.call('note', 'remove', { noteId: n._id, version: 1 }, P.other), 'FORBIDDEN')
    expectFail(await env.call('note', 'remove', { noteId: n._id, version: 1 }, P.secretary2), 'FORBIDDEN')
    const stale = expectFail(await env.call('note', 'remove', { noteId: n._id, version: 2 }, P.member), 'CONFLICT')
    expect(stale.details).toMatchObject({ note: { version: 1 } })
    const out = NoteRemoveOutput.parse(expectOk(await env.call('note', 'remove', { noteId: n._id, version: 1 }, P.member)))
    expect(out.note).toMatchObject({ _id: n._id, deleted: true, version: 2 })
    expectOk(await env.call('note', 'remove', { noteId: n._id, version: 1 }, P.member))
    expectFail(await get(n._id, P.member), 'FORBIDDEN')
    expectFail(await get(n._id, P.secretary2), 'FORBIDDEN')
    expect(expectOk(await env.call<ListOut>('note', 'list', { year: 2032 }, P.member)).total).toBe(0)
    // The document stays (soft delete) so the ledger stays explainable.
    expect((await env.db.collection('notes').doc(n._id).get()).data).toMatchObject({ deleted: true })
    // An edit of a deleted note is refused with the stored text, so the draft is not lost silently.
    expect(expectFail(await saveNote(env, P.member, { id: n._id, version: 2, content: freshText() }), 'CONFLICT').message).toContain('删除')
  })
})

describe('note.review', () => {
  it('an officer of the branch passes or returns with a comment the member then sees; it is audited', async () => {
    const n = await create()
    const out = NoteReviewOutput.parse(
      expectOk(await env.call('note', 'review', { noteId: n._id, status: 'returned', comment: '请补充个人体会' }, P.committee2))
    )
    expect(out.note.review).toEqual({ status: 'returned', comment: '请补充个人体会', by: P.committee2, at: env.clock.now() })
    // The review does not move the version: the author's next save is not a conflict.
    expect(out.note.version).toBe(1)
    expect(expectOk(await get(n._id, P.member)).note.review.comment).toBe('请补充个人体会')
    const listed = expectOk(await env.call<ListOut>('note', 'list', { year: 2026, limit: 50 }, P.member)).notes.find((s) => s._id === n._id)
    expect(listed?.review).toMatchObject({ status: 'returned', comment: '请补充个人体会' })
    const audit = await env.db.collection('audit').where({ action: 'note.review', 'target.id': n._id }).get()
    expect(audit.data).toHaveLength(1)
    expect(audit.data[0]).toMatchObject({ actor: P.committee2, orgId: 'br_2', detail: { memberId: P.member, from: 'pending', to: 'returned' } })
    // Repeating the same decision writes nothing more.
    expectOk(await env.call('note', 'review', { noteId: n._id, status: 'returned', comment: '请补充个人体会' }, P.committee2))
    expect((await env.db.collection('audit').where({ action: 'note.review', 'target.id': n._id }).count()).total).toBe(1)
    expectOk(await env.call('note', 'review', { noteId: n._id, status: 'passed' }, P.secretary2))
    expect(expectOk(await get(n._id, P.member)).note.review).toMatchObject({ status: 'passed', by: P.secretary2 })
  })

  it('members, other branches\' officers and the author themself cannot review', async () => {
    const n = await create()
    for (const who of [P.member, P.other, P.secretary1, P.secretary3]) {
      expectFail(await env.call('note', 'review', { noteId: n._id, status: 'passed' }, who), 'FORBIDDEN')
    }
    const own = await create(P.secretary2)
    expect(expectFail(await env.call('note', 'review', { noteId: own._id, status: 'passed' }, P.secretary2), 'FORBIDDEN').message).toContain('自己')
    expectFail(await env.call('note', 'review', { noteId: n._id, status: 'returned' }, P.secretary2), 'INVALID_INPUT')
    expectFail(await env.call('note', 'review', { noteId: n._id, status: 'ok' }, P.secretary2), 'INVALID_INPUT')
    expect(expectOk(await get(n._id, P.member)).note.review.status).toBe('pending')
  })
})

describe('the note function reads past the 1,000-row page', () => {
  it('list totals count every note', async () => {
    // The seed gives each member a year of notes; totals agree with a direct count.
    const direct = await env.db.collection('notes').where({ memberId: P.other, year: 2026 }).count()
    const out = expectOk(await env.call<ListOut>('note', 'list', { memberId: P.other, year: 2026 }, P.secretary2))
    expect(out.total).toBe(direct.total)
  })
})
